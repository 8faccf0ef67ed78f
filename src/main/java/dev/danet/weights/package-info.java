/**
 * Public checkpoints: the catalogue of known files (what they are, where they live, how they
 * were scored, their published hash), and getting one: a resumable, verified download and the
 * conversion into the project's own format. The only code in the project that downloads.
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.weights;
