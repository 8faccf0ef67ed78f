/**
 * Datasets and pictures: dataset layouts, image decoding ({@code ImageDecoder}: EXIF orientation,
 * CMYK JPEG, 16-bit PNG), class sets and label encodings, augmentation and the batch loader.
 *
 * <p><b>Internal.</b> Not part of the library's public API, which is {@code dev.danet.api} and
 * {@code dev.danet.djl} (with {@code dev.danet.DanetException}); this package may change in any
 * release.
 */
package dev.danet.data;
