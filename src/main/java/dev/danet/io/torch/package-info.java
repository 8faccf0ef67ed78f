/**
 * PyTorch checkpoints read without Python: the zip and legacy formats, their pickles (through
 * Pyrolite) and raw storages, rebuilt into tensors, with bounds on what a crafted file may cost.
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.io.torch;
