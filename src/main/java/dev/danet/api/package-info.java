/**
 * The embedding API: what a Java service uses to run a DANet model, and nothing else.
 *
 * <pre>{@code
 * try (Segmenter segmenter = Segmenter.load(Path.of("danet.danet"))) {
 *     Segmentation s = segmenter.segment(ImageIO.read(file));
 *     String there = s.classAt(10, 20);
 *     ImageIO.write(s.colourImage(), "png", out);
 * }
 * }</pre>
 *
 * <p>{@link dev.danet.api.Segmenter} loads any weights file the project reads and segments
 * pictures; {@link dev.danet.api.Segmentation} is one picture's result (labels, class names and
 * colours, optional probabilities and attention maps). Both are stable: the other packages of the
 * library are its internals and may change. Errors a caller can cause (a missing or unreadable
 * weights file, a bad or oversized image) are {@link dev.danet.DanetException}s whose message
 * names the file and what is wrong. DJL users get the same model through
 * {@link dev.danet.djl.DanetTranslatorFactory}.
 */
package dev.danet.api;
