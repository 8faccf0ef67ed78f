package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Position attention for training whose backward pass never holds the (B, N, N) map: the
 * forward pass runs {@link BlockedAttention} outside the autograd graph and keeps only the
 * queries, keys and values; the backward pass ({@link DeferredBackward}) recomputes the map one
 * block of query rows at a time, under autograd, and runs each block's backward at once with
 * its share of the output's gradient, so one block's map exists at a time (the flash-attention
 * scheme, with libtorch's own kernels: the same operations as the plain step, block by block).
 * The gradients are the plain step's, summed over blocks in another order.
 */
final class LeanAttention {

    private LeanAttention() {}

    /**
     * out = V S^T with S = softmax(q k) (as {@link BlockedAttention#attend}), {@code rows} query
     * rows per block in both passes; the result is a view of a leaf whose gradient the deferred
     * step turns into the gradients of q, k and v.
     *
     * @param q (B, N, C') queries, recorded
     * @param k (B, C', N) keys, recorded
     * @param v (B, C, N) values, recorded
     */
    static NDArray attend(NDArray q, NDArray k, NDArray v, int rows, BlockedAttention.BlockObserver observer,
            DeferredBackward deferred) {
        NDArray out;
        try (NDArray q0 = q.stopGradient(); NDArray k0 = k.stopGradient(); NDArray v0 = v.stopGradient()) {
            out = BlockedAttention.attend(q0, k0, v0, rows, observer);
        }
        NDArray leaf = deferred.hold(DeferredBackward.newLeaf(out));
        out.close();
        NDArray queries = deferred.keep(q);
        NDArray keys = deferred.keep(k);
        NDArray values = deferred.keep(v);
        deferred.later(() -> {
            NDArray gradient = DeferredBackward.gradientOf(leaf);
            if (gradient != null) {
                backward(queries, keys, values, gradient, rows);
                gradient.close();
            }
            deferred.release(leaf, queries, keys, values);
        });
        return leaf.reshape(leaf.getShape());
    }

    /** Gradients of q, k and v for the output's gradient g (B, C, N), the map recomputed block by block. */
    private static void backward(NDArray q, NDArray k, NDArray v, NDArray g, int rows) {
        long n = q.getShape().get(1);
        try (NDArray qLeaf = DeferredBackward.newLeaf(q); NDArray kLeaf = DeferredBackward.newLeaf(k);
                NDArray vLeaf = DeferredBackward.newLeaf(v)) {
            for (long j0 = 0; j0 < n; j0 += rows) {
                long j1 = Math.min(n, j0 + rows);
                try (NDArray qBlock = qLeaf.get(new NDIndex().addAllDim().addSliceDim(j0, j1));
                        NDArray s = AttentionWeights.softmax(qBlock.matMul(kLeaf));
                        NDArray sT = s.transpose(0, 2, 1);
                        NDArray outBlock = vLeaf.matMul(sT);
                        NDArray gBlock = g.get(new NDIndex().addAllDim().addAllDim().addSliceDim(j0, j1))) {
                    DeferredBackward.backward(outBlock, gBlock);
                }
            }
            DeferredBackward.passOn(q, qLeaf);
            DeferredBackward.passOn(k, kLeaf);
            DeferredBackward.passOn(v, vLeaf);
        }
    }
}
