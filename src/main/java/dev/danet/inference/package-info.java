/**
 * Running a trained model on pictures: {@link dev.danet.inference.LoadedModel} (a network with its
 * classes and model card), {@link dev.danet.inference.SegmentationInference} (whole image or
 * sliding windows, several scales, flip, as {@link dev.danet.inference.InferenceOptions} and a
 * publisher's {@link dev.danet.io.TestRecipe} say), {@link dev.danet.inference.ImageSegmenter}
 * (one picture to class labels), and what the attention pictures are made of
 * ({@link dev.danet.inference.AttentionFeatures}, {@link dev.danet.inference.CamChannels}).
 * Scoring predictions against labels is {@code eval}'s job, drawing them {@code viz}'s.
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.inference;
