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
 *
 * <p><b>Memory.</b> The attention map S is (B, N, N) for N = H*W feature positions: at a
 * 1024x2048 input (N = 128*256) that is 4.3 GB in float32. When B*N*N*bytesPerElement exceeds
 * the network's {@link ExecutionOptions#attentionBlockBytes} (default 256 MB), the forward pass
 * computes the output over blocks of query rows (see {@link BlockedAttention}): each block takes
 * full rows of S, so the softmax and the result are exact. Rows are chosen so that one (B, rows, N)
 * block fits in the budget; only one block's maps exist at a time, two of them at most (the
 * energy is freed once its floored copy exists, see {@link AttentionWeights#softmax}), so the
 * transient peak is about twice the budget. At or below the
 * budget it runs the plain computation. The same choice is made in training, where under the
 * default {@link TrainingMemory#leanAttention} the blocked map is not kept for backward either:
 * {@link LeanAttention} recomputes it block by block. With plain training memory, autograd saves
 * every block's softmax, and a step holds O(B*N*N) for backward, as PyTorch's does.
 */
public final class PositionAttention extends TorchBlock {

    private final Block query;
    private final Block key;
    private final Block value;
    private final Parameter gamma;
    private volatile AttentionTap tap;

    /**
     * Query rows per block in inference, whatever the budget allows: the same numbers as the whole
     * map, and faster (docs/performance.md, issue 14: 512x512 -6%, 1024x1024 -10%, 1024x2048 -4%,
     * 256x256 unchanged). A whole map of 64 MB or more is more than glibc's thread arenas hold,
     * so it is mapped afresh and page-faulted on every pass; blocks of 512 rows stay small at the
     * everyday sizes and still make large enough matrix products at full resolution (128-row
     * blocks made 1024x2048 32% slower). Training keeps the budget's blocks (its memory figures
     * and the lean backward's recomputation follow them), and {@code --pam-memory plain}
     * ({@link ExecutionOptions#WHOLE_ATTENTION_MAP}) the whole map.
     */
    static final int INFERENCE_ROWS_PER_BLOCK = 512;

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
        long budget = options(ps).attentionBlockBytes();
        int rows = rowsPerBlock(shape.get(0), shape.get(2) * shape.get(3), x.getDataType(), budget);
        if (!training && budget != ExecutionOptions.WHOLE_ATTENTION_MAP) {
            rows = Math.min(rows, INFERENCE_ROWS_PER_BLOCK);
        }
        return new NDList(forward(ps, x, training, rows));
    }

    /**
     * Query rows per block for a batch of inputs with {@code positions} = h * w positions of the
     * given type, under a budget of budgetBytes ({@link ExecutionOptions#attentionBlockBytes}):
     * {@code positions} means the plain computation through the whole map, fewer the blocked one.
     */
    public static int rowsPerBlock(long batch, long positions, DataType type, long budgetBytes) {
        return BlockedAttention.rowsPerBlock(batch, positions, type.getNumOfBytes(), budgetBytes);
    }

    /**
     * The module's output computed with {@code rows} query rows per block; {@code rows >= N} is the
     * plain computation through the full map.
     */
    NDArray forward(ParameterStore ps, NDArray x, boolean training, int rows) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long positions = shape.get(2) * shape.get(3);
        NDArray scale = ps.getValue(gamma, x.getDevice(), training);
        DeferredBackward deferred = deferred(ps);
        if (training && deferred != null && options(ps).trainingMemory().leanAttention() && rows < positions) {
            return leanForward(ps, x, scale, rows, deferred);
        }
        NDArray q = apply(query, ps, x, training).reshape(batch, -1, positions).transpose(0, 2, 1);
        NDArray k = apply(key, ps, x, training).reshape(batch, -1, positions);
        AttentionTap seen = tap;
        if (rows < positions) {
            NDArray v = apply(value, ps, x, training).reshape(batch, shape.get(1), positions);
            BlockedAttention.BlockObserver observer = seen == null ? null
                    : (firstRow, s) -> observe(seen, s, firstRow, q, k, shape);
            NDArray out = BlockedAttention.attend(q, k, v, rows, observer).reshape(shape);
            return out.mul(scale).add(x);
        }
        // s_ji = exp(B_i . C_j) / sum_i exp(B_i . C_j)  (eq. 1), kept clear of subnormals
        // (AttentionWeights)
        NDArray attention = AttentionWeights.softmax(q.matMul(k));
        if (seen != null) {
            observe(seen, attention, 0, q, k, shape);
        }
        release(ps, q);
        release(ps, k);
        // The value projection after the map, as always: the order in which autograd sums x's
        // gradients follows it, and a training run stays bit for bit what it was.
        NDArray v = apply(value, ps, x, training).reshape(batch, shape.get(1), positions);
        // E_j = gamma * sum_i s_ji D_i + A_j  (eq. 2)
        NDArray out = v.matMul(attention.transpose(0, 2, 1)).reshape(shape);
        release(ps, attention);
        return out.mul(scale).add(x);
    }

    /**
     * The training forward pass whose backward recomputes the map block by block ({@link LeanAttention}).
     * The input is cut ({@link DeferredBackward#cut}): its four consumers (query, key, value,
     * the residual) pass their gradients on to conv5a together, once the attention's backward has run.
     */
    private NDArray leanForward(ParameterStore ps, NDArray x, NDArray scale, int rows, DeferredBackward deferred) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long positions = shape.get(2) * shape.get(3);
        NDArray input = deferred.cut(x);
        NDArray q = apply(query, ps, input, true).reshape(batch, -1, positions).transpose(0, 2, 1);
        NDArray k = apply(key, ps, input, true).reshape(batch, -1, positions);
        NDArray v = apply(value, ps, input, true).reshape(batch, shape.get(1), positions);
        AttentionTap seen = tap;
        BlockedAttention.BlockObserver observer = seen == null ? null
                : (firstRow, s) -> observe(seen, s, firstRow, q, k, shape);
        NDArray attended = LeanAttention.attend(q, k, v, rows, observer, deferred);
        release(ps, q);
        release(ps, k);
        release(ps, v);
        NDArray out = attended.reshape(shape);
        release(ps, attended);
        return out.mul(scale).add(input);
    }

    /** Hands the tap detached views of the weights, queries and keys (nothing it does is recorded). */
    private static void observe(AttentionTap tap, NDArray weights, long firstRow, NDArray q, NDArray k, Shape shape) {
        try (NDArray s = weights.stopGradient(); NDArray qs = q.stopGradient(); NDArray ks = k.stopGradient()) {
            tap.position(s, firstRow, qs, ks, shape.get(2), shape.get(3));
        }
    }

    /**
     * Sets (null: removes) the tap that sees this module's attention weights in every forward
     * pass, training included; for diagnostics (see {@link AttentionTap}).
     */
    public void setTap(AttentionTap tap) {
        this.tap = tap;
    }

    /** The (B, N, N) attention map S: row j is where position j draws from; rows sum to 1. */
    public NDArray attention(ParameterStore ps, NDArray x, boolean training) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long positions = shape.get(2) * shape.get(3);
        NDArray q = apply(query, ps, x, training).reshape(batch, -1, positions).transpose(0, 2, 1);
        NDArray k = apply(key, ps, x, training).reshape(batch, -1, positions);
        // eq. 1 (see forward)
        return AttentionWeights.softmax(q.matMul(k));
    }

    /**
     * The requested rows of the attention map, (B, rows.length, N), in the order given: row j is
     * where position j (= y*W + x) draws from. Never forms the full map, so it works on inputs
     * whose full map would not fit.
     */
    public NDArray attentionRows(ParameterStore ps, NDArray x, int[] rows) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long positions = shape.get(2) * shape.get(3);
        NDArray q = apply(query, ps, x, false).reshape(batch, -1, positions).transpose(0, 2, 1);
        NDArray k = apply(key, ps, x, false).reshape(batch, -1, positions);
        return BlockedAttention.rows(q, k, rows);
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
