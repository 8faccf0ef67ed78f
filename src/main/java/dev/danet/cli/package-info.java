/**
 * The {@code danet} launcher's commands ({@code Main} and one class per command): thin entry points
 * that map flags to the library's configuration and print errors as one line.
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.cli;
