/**
 * Public checkpoint layouts (the reference DANet, mmsegmentation, torchvision) recognised from their
 * keys, and the mapping of their keys onto the project's parameter names.
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.io.layout;
