package dev.danet.inference;

import ai.djl.ndarray.NDArray;

/**
 * What inference needs of a model: normalised images (B, 3, H, W) in, class scores
 * (B, K, H, W) out at the same resolution. {@code Network::predict} is one; tests use fakes
 * whose output at a pixel depends only on that pixel, which makes window arithmetic checkable.
 * The result must be a new array (not the input itself).
 */
@FunctionalInterface
public interface ScorePredictor {

    NDArray scores(NDArray images);
}
