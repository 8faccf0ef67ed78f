/**
 * Evaluation over labelled datasets: {@link dev.danet.eval.Evaluator} runs inference over a split
 * and accumulates a {@link dev.danet.eval.ConfusionMatrix}; the metrics (pixel accuracy, IoU, both
 * mIoUs), the report files, and the dataset-wide statistics of what a model attends to
 * (attention rows against the ground truth, scale weights per class).
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.eval;
