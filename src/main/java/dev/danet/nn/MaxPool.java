package dev.danet.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Square max pooling with floor rounding, as torch.nn.MaxPool2d(kernel, stride, padding). */
public final class MaxPool extends TorchBlock {

    private final int kernel;
    private final int stride;
    private final int padding;

    public MaxPool(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(Pool.maxPool2d(inputs.singletonOrThrow(), new Shape(kernel, kernel),
                new Shape(stride, stride), new Shape(padding, padding), false));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), pooled(in.get(2)), pooled(in.get(3)))};
    }

    private long pooled(long size) {
        return (size + 2L * padding - kernel) / stride + 1;
    }
}
