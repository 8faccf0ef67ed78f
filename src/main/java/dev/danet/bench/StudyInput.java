package dev.danet.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.nn.Network;

/** The input both sides of a study see: seeded random values, in the network's type. */
final class StudyInput {

    private static final int SEED = 7;

    private StudyInput() {}

    static NDArray of(Network network, NDManager scope, ModelBenchmark.Settings settings) {
        scope.getEngine().setRandomSeed(SEED);
        return scope.randomNormal(new Shape(settings.batch(), 3, settings.height(), settings.width()))
                .toType(network.dataType(), false);
    }

    /** The network's main output for the images, as float32 values. */
    static float[] predict(Network network, NDArray images) {
        try (NDArray out = network.predict(images)) {
            return out.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }
}
