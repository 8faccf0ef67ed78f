/**
 * {@code ./danet bench}: timings of inference and training steps per phase, peak memory, and the
 * studies behind docs/performance.md.
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.bench;
