package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Position attention module (PAM, DANet section 3.2): every position is updated with a
 * weighted sum of the features at all positions, the weights given by the similarity of
 * their query and key projections.
 */
public final class PositionAttention extends TorchBlock {

    private final Block query;
    private final Block key;
    private final Block value;
    private final Parameter gamma;

    public PositionAttention(int channels) {
        query = addChildBlock("query_conv", Layers.conv1x1WithBias(channels / 8));
        key = addChildBlock("key_conv", Layers.conv1x1WithBias(channels / 8));
        value = addChildBlock("value_conv", Layers.conv1x1WithBias(channels));
        gamma = addParameter(AttentionScale.create("gamma"));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long positions = shape.get(2) * shape.get(3);
        NDArray attention = attention(ps, x, training);
        NDArray v = apply(value, ps, x, training).reshape(batch, shape.get(1), positions);
        // E_j = gamma * sum_i s_ji D_i + A_j  (eq. 2)
        NDArray out = v.matMul(attention.transpose(0, 2, 1)).reshape(shape);
        return new NDList(out.mul(ps.getValue(gamma, x.getDevice(), training)).add(x));
    }

    /** The (B, N, N) attention map S: row j is where position j draws from; rows sum to 1. */
    public NDArray attention(ParameterStore ps, NDArray x, boolean training) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long positions = shape.get(2) * shape.get(3);
        NDArray q = apply(query, ps, x, training).reshape(batch, -1, positions).transpose(0, 2, 1);
        NDArray k = apply(key, ps, x, training).reshape(batch, -1, positions);
        // s_ji = exp(B_i . C_j) / sum_i exp(B_i . C_j)  (eq. 1)
        return q.matMul(k).softmax(-1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        for (Block child : new Block[] {query, key, value}) {
            child.initialize(manager, type, inputShapes);
        }
    }
}
