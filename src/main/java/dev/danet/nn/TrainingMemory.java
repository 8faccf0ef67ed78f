package dev.danet.nn;

/**
 * How a training step trades time for memory. Every setting gives the gradients of the plain
 * step (equal up to float rounding: sums are taken in another order); only what is held between
 * the forward and the backward pass changes (see {@link DeferredBackward}).
 *
 * @param leanAttention where position attention computes its map in blocks (a map larger than
 *     {@link ExecutionOptions#attentionBlockBytes}), it saves only its queries, keys, values and
 *     output, and its backward recomputes the map one block of rows at a time, so the (B, N, N)
 *     map never exists in training either (without it, autograd keeps every block's softmax);
 *     a map within the budget is computed and kept whole, as in the plain step
 * @param recomputeBackbone the backbone's stem and residual units keep only their inputs; each
 *     one's activations are computed again, one at a time, when the backward pass reaches it;
 *     and the process maps its large buffers on their own ({@link #mapsLargeBuffers})
 */
public record TrainingMemory(boolean leanAttention, boolean recomputeBackbone) {

    /** Autograd as PyTorch runs it: every activation kept for the backward pass. */
    public static final TrainingMemory PLAIN = new TrainingMemory(false, false);
    /** Lean attention only: the default (the plain step, bit for bit, wherever the map fits the budget). */
    public static final TrainingMemory LEAN_ATTENTION = new TrainingMemory(true, false);
    /** Lean attention and a recomputed backbone: the least memory. */
    public static final TrainingMemory LEAN = new TrainingMemory(true, true);

    /** Whether a step needs backward work after the loss's own (see {@link DeferredBackward}). */
    public boolean defersBackward() {
        return leanAttention || recomputeBackbone;
    }

    /**
     * Whether the process's large buffers should be mapped on their own while this setting trains
     * ({@code dev.danet.process.NativeAllocator}): for the settings that recompute, which put memory
     * before time. It keeps the heap from fragmenting far beyond what a step holds (DANet-ResNet-50,
     * 512x512: 2.38 GB at the peak against 3.75 GB), but every large buffer is then faulted in afresh,
     * which costs time (there, 35-45% per step).
     */
    public boolean mapsLargeBuffers() {
        return recomputeBackbone;
    }

    /** "plain", "lean-attention", "recompute-backbone" or "lean" (both), as the command line names them. */
    public String id() {
        return leanAttention && recomputeBackbone ? "lean" : leanAttention ? "lean-attention"
                : recomputeBackbone ? "recompute-backbone" : "plain";
    }

    /** The setting a command-line name stands for (see {@link #id}). */
    public static TrainingMemory parse(String id) {
        return switch (id) {
            case "plain" -> PLAIN;
            case "lean-attention" -> LEAN_ATTENTION;
            case "recompute-backbone" -> new TrainingMemory(false, true);
            case "lean" -> LEAN;
            default -> throw new IllegalArgumentException("training memory must be plain, lean-attention,"
                    + " recompute-backbone or lean, got '" + id + "'");
        };
    }
}
