package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;

/**
 * Gradient checkpointing of one block: the training forward pass runs it with autograd off and
 * keeps only its input; when the backward pass reaches its output ({@link DeferredBackward}),
 * it runs again, recorded, and its backward follows at once. Only one block's activations
 * exist at a time, at the cost of a second forward pass through it. The second pass computes
 * the same values (same input, same batch statistics; batch norms leave their running
 * statistics alone then, see {@link NetworkParameterStore#forRecomputation}); the block must
 * draw no random numbers (the backbone's residual units draw none).
 */
final class Recomputation {

    private Recomputation() {}

    /** A part of the training forward pass: its output for x, computed with the given store. */
    @FunctionalInterface
    interface Pass {
        NDArray run(NetworkParameterStore ps, NDArray x);
    }

    /** The block's output for x, as a view of a leaf whose gradient the recomputed pass passes on to x. */
    static NDArray apply(Block block, NetworkParameterStore ps, NDArray x, DeferredBackward deferred) {
        return apply((store, input) -> TorchBlock.apply(block, store, input, true), ps, x, deferred);
    }

    /** As {@link #apply(Block, NetworkParameterStore, NDArray, DeferredBackward)}, for a pass of several blocks. */
    static NDArray apply(Pass pass, NetworkParameterStore ps, NDArray x, DeferredBackward deferred) {
        NDArray out;
        try (GradMode.Off notRecorded = GradMode.off()) {
            out = pass.run(ps, x);
        }
        NDArray leaf = deferred.hold(DeferredBackward.newLeaf(out));
        out.close();
        NDArray input = deferred.keep(x);
        deferred.later(() -> {
            NDArray gradient = DeferredBackward.gradientOf(leaf);
            if (gradient != null) {
                NDArray again = pass.run(ps.forRecomputation(), input);
                DeferredBackward.backward(again, gradient);
                again.close();
                gradient.close();
            }
            deferred.release(leaf, input);
        });
        return leaf.reshape(leaf.getShape());
    }
}
