/**
 * Blocks and models: the ResNet backbone, PAM and CAM, the DANet and FCN heads, {@code SegmentationModel},
 * the Attention-to-Scale wrapper {@code MultiScaleModel} with its {@code ScaleAttentionHead}, and
 * {@code Network}, a model with its parameters and the {@code ExecutionOptions} it runs with.
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.nn;
