package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Channel dropout, as torch.nn.Dropout2d: in training, each (sample, channel) map is zeroed
 * with probability p and the survivors scaled by 1/(1-p); identity in inference. DJL's own
 * dropout drops single elements, which is a different regulariser.
 */
public final class Dropout2d extends TorchBlock {

    private final float probability;

    public Dropout2d(float probability) {
        if (probability < 0 || probability >= 1) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1): " + probability);
        }
        this.probability = probability;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (!training || probability == 0) {
            return inputs;
        }
        Shape shape = x.getShape();
        NDArray keep = x.getManager()
                .randomUniform(0f, 1f, new Shape(shape.get(0), shape.get(1), 1, 1), x.getDataType())
                .gte(probability)
                .toType(x.getDataType(), false)
                .div(1 - probability);
        return new NDList(x.mul(keep));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
