/**
 * Drawing only: label maps as pictures, overlays, heat maps of attention and channel maps,
 * legends, training curves and plots. Nothing here runs a model.
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.viz;
