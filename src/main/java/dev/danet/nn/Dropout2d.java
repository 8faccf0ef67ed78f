package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Channel dropout, as torch.nn.Dropout2d: in training, each (sample, channel) map is zeroed
 * with probability p and the survivors scaled by 1/(1-p); identity in inference. DJL's own
 * dropout drops single elements, which is a different regulariser.
 */
public final class Dropout2d extends TorchBlock {

    /**
     * Where keep masks come from in place of the engine's random numbers
     * ({@link ExecutionOptions#dropoutMasks}): a parity test replays the masks PyTorch drew, so
     * that both sides drop the same channels.
     */
    @FunctionalInterface
    public interface MaskSource {
        /** A keep mask of the given (N, C, 1, 1) shape: 1 keeps a channel map, 0 drops it. */
        NDArray keep(NDManager manager, Shape shape);
    }

    private final double probability;

    public Dropout2d(double probability) {
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
        Shape maskShape = new Shape(shape.get(0), shape.get(1), 1, 1);
        MaskSource source = options(ps).dropoutMasks();
        NDArray keep = source != null
                ? source.keep(x.getManager(), maskShape)
                : x.getManager().randomUniform(0f, 1f, maskShape, x.getDataType()).gte((float) probability);
        // As torch: x * (keep / (1 - p)), with 1 - p in double (1 - 0.1f would be 0.9f, off by 2.6e-8).
        return new NDList(x.mul(keep.toType(x.getDataType(), false).div(1 - probability)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
