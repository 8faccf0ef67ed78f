package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * Exact position attention computed over blocks of query rows, so that the (B, N, N) attention
 * matrix never exists at once. Each block takes full rows of the energy, so its softmax is the
 * same as the full one; only the row range changes. All arithmetic is libtorch's (matMul,
 * softmax, slicing, concat).
 *
 * <p>The choice between the plain and the blocked computation is made by {@link #rowsPerBlock}
 * from a byte budget (the network's {@link ExecutionOptions#attentionBlockBytes}).
 */
final class BlockedAttention {

    private BlockedAttention() {}

    /**
     * Query rows per block for a (batch, positions, positions) attention map of the given element
     * size: {@code positions} (one block, the plain computation) when the whole map fits in
     * {@code budgetBytes}, otherwise the largest row count whose (batch, rows, positions) block fits
     * (at least 1), evened out so that all blocks have about the same size.
     */
    static int rowsPerBlock(long batch, long positions, int bytesPerElement, long budgetBytes) {
        if (positions <= 0) {
            return 1;
        }
        long rowBytes = batch * positions * bytesPerElement;
        // Whole map within budget (checked without overflow: rowBytes * positions <= budget).
        if (rowBytes <= budgetBytes / positions) {
            return Math.toIntExact(positions);
        }
        long rows = Math.max(1, budgetBytes / rowBytes);
        long blocks = (positions + rows - 1) / rows;
        return Math.toIntExact((positions + blocks - 1) / blocks);
    }

    /**
     * out = V S^T with S = softmax(q k, last axis) (see {@link AttentionWeights}), computed
     * {@code rows} query rows at a time.
     *
     * @param q (B, N, C') queries
     * @param k (B, C', N) keys
     * @param v (B, C, N) values
     * @return (B, C, N)
     */
    static NDArray attend(NDArray q, NDArray k, NDArray v, int rows) {
        return attend(q, k, v, rows, null);
    }

    /** Sees each block's weights: (B, block rows, N), the first of them query row firstRow. */
    interface BlockObserver {
        void block(long firstRow, NDArray weights);
    }

    /** As {@link #attend(NDArray, NDArray, NDArray, int)}, handing each block's weights to observer (if not null). */
    static NDArray attend(NDArray q, NDArray k, NDArray v, int rows, BlockObserver observer) {
        long n = q.getShape().get(1);
        // Recording for autograd if any input is part of a graph: then the arrays that backward
        // reads must stay alive (q block and k for the first matMul, the softmax output for the
        // softmax and the second matMul). The energy is never needed by backward (softmax's
        // backward uses its output), so the softmax closes it in both modes.
        boolean recording = q.hasGradient() || k.hasGradient() || v.hasGradient();
        NDList parts = new NDList();
        for (long j0 = 0; j0 < n; j0 += rows) {
            long j1 = Math.min(n, j0 + rows);
            NDArray qBlock = q.get(new NDIndex().addAllDim().addSliceDim(j0, j1));
            NDArray s = AttentionWeights.softmax(qBlock.matMul(k));
            if (observer != null) {
                observer.block(j0, s);
            }
            NDArray sT = s.transpose(0, 2, 1);
            parts.add(v.matMul(sT));
            if (!recording) {
                sT.close();
                s.close();
                qBlock.close();
            }
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        NDArray out = NDArrays.concat(parts, 2);
        if (!recording) {
            parts.close();
        }
        return out;
    }

    /** Rows {@code rows} of the attention map (see {@link AttentionWeights}): (B, rows.length, N). */
    static NDArray rows(NDArray q, NDArray k, int[] rows) {
        long n = q.getShape().get(1);
        long[] index = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= n) {
                throw new IllegalArgumentException("row " + rows[i] + " outside [0, " + n + ")");
            }
            index[i] = rows[i];
        }
        try (NDArray indices = q.getManager().create(index)) {
            NDArray selected = q.get(new NDIndex(":, {}", indices));
            NDArray s = AttentionWeights.softmax(selected.matMul(k));
            if (!(q.hasGradient() || k.hasGradient())) {
                selected.close();
            }
            return s;
        }
    }
}
