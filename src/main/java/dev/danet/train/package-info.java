/**
 * The training loop: its configuration ({@code TrainConfig}) and recipes, the loss over a model's named
 * outputs, SGD with PyTorch's update, the poly schedule, checkpoints, listeners and the ablation
 * studies.
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.train;
