package dev.danet.nn;

import ai.djl.ndarray.NDArray;

/**
 * Sees the attention weights that a forward pass computes, for training diagnostics (set on the
 * modules with {@link DanetHead#setTap}). The arrays are detached views valid only during the
 * call: read what is needed, keep nothing. Nothing done with them is recorded for backward.
 */
public interface AttentionTap {

    /**
     * Position attention, once per forward pass (in the blocked computation, once per block).
     *
     * @param weights (B, rows, N) rows of the map S, the first of them query row firstRow
     * @param firstRow index of the first query row in weights
     * @param queries (B, N, C') all query vectors (rows of the energy Q K)
     * @param keys (B, C', N) all key vectors
     * @param height feature rows h (N = h * w)
     * @param width feature columns w
     */
    default void position(NDArray weights, long firstRow, NDArray queries, NDArray keys, long height, long width) {}

    /** Channel attention, once per forward pass: the (B, C, C) map X. */
    default void channel(NDArray weights) {}
}
