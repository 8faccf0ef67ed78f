package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Base of the project's blocks: a DJL block whose children carry PyTorch's module names,
 * plus the two chores every composite block repeats (run a child on one array; initialise
 * a child and learn its output shape).
 */
abstract class TorchBlock extends AbstractBlock {

    /** Runs a single-input, single-output child. */
    static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** Initialises a child for the given input shape and returns its output shape. */
    static Shape init(Block block, NDManager manager, DataType type, Shape input) {
        block.initialize(manager, type, input);
        return outputShape(block, input);
    }

    static Shape outputShape(Block block, Shape input) {
        return block.getOutputShapes(new Shape[] {input})[0];
    }
}
