package dev.danet.nn;

import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/** The learnable scalar through which an attention module's output joins its input. */
final class AttentionScale {

    private AttentionScale() {}

    /**
     * A one-element parameter starting at 0, so that the module starts as the identity.
     * Typed OTHER so that a model-wide weight initialiser does not overwrite the zero.
     */
    static Parameter create(String name) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(new ai.djl.ndarray.types.Shape(1))
                .optInitializer(Initializer.ZEROS)
                .build();
    }
}
