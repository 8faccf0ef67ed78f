package dev.danet.data;

/** A decoded sample: the picture and its class-index label map, of the same size. */
public record LabeledImage(String id, RgbImage image, LabelGrid label) {}
