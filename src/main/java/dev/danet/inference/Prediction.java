package dev.danet.inference;

import ai.djl.ndarray.NDArray;

/**
 * The result of inference on one image.
 *
 * @param scores summed score map (K, H, W) at the image's original size, on the input's manager
 * @param labels argmax over classes, row-major, H * W values (ties go to the lower class index)
 * @param height rows
 * @param width columns
 */
public record Prediction(NDArray scores, int[] labels, int height, int width) {}
