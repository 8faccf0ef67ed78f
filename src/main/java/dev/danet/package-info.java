/**
 * What every package uses: {@link dev.danet.DanetException}, the one error a user can cause (a
 * missing or unreadable file, a bad picture), whose message names the file and what is wrong; and
 * the internal helpers {@code AtomicFiles} (temporary name, then rename) and {@code IoProblems}.
 *
 * <p>The library's public API is {@code dev.danet.api} (embedding: {@code Segmenter},
 * {@code Segmentation}) and {@code dev.danet.djl} (the same model in DJL's terms), plus
 * {@code DanetException} from this package. Everything else is internal and may change in any
 * release.
 */
package dev.danet;
