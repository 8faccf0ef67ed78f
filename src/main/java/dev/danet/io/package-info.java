/**
 * Reading and writing models: {@code ModelLoader} (the entry), model cards with the publisher's
 * {@code TestRecipe}, the project's own checkpoint format, {@code .npy} files; PyTorch checkpoints
 * in {@code io.torch}, their layouts in {@code io.layout}.
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.io;
