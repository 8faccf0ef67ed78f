/**
 * Facts about the running process that more than one part of the project reports: its resident
 * memory ({@link dev.danet.process.ProcessMemory}), read by the benchmarks and by the server's
 * status page.
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.process;
