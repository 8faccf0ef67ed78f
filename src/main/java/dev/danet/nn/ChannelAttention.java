package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Channel attention module (CAM, DANet section 3.3): every channel map is updated with a
 * weighted sum of all channel maps, the weights given by their Gram matrix. No projections.
 */
public final class ChannelAttention extends TorchBlock {

    private final Parameter beta;
    private volatile AttentionTap tap;

    public ChannelAttention() {
        // Named "gamma" as in the reference checkpoints (head.sc.gamma); the paper calls it beta.
        beta = addParameter(AttentionScale.create("gamma"));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        NDArray a = x.reshape(shape.get(0), shape.get(1), shape.get(2) * shape.get(3));
        // E_j = beta * sum_i x_ji A_i + A_j  (eq. 4)
        NDArray weights = attention(a);
        AttentionTap seen = tap;
        if (seen != null) {
            try (NDArray detached = weights.stopGradient()) {
                seen.channel(detached);
            }
        }
        NDArray out = weights.matMul(a).reshape(shape);
        return new NDList(out.mul(ps.getValue(beta, x.getDevice(), training)).add(x));
    }

    /** Sets (null: removes) the tap that sees this module's attention map in every forward pass. */
    public void setTap(AttentionTap tap) {
        this.tap = tap;
    }

    /**
     * The (B, C, C) channel attention X for features a of shape (B, C, N). As the reference,
     * the softmax takes rowmax(energy) - energy (eq. 3 with the sign the released code uses).
     */
    public static NDArray attention(NDArray a) {
        NDArray energy = a.matMul(a.transpose(0, 2, 1));
        return energy.max(new int[] {-1}, true).sub(energy).softmax(-1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
