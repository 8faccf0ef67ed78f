package dev.danet.data;

import java.nio.file.Path;

/**
 * One sample of a dataset: an image file and its label file.
 *
 * @param id a short name for reports (the image's file name without extension)
 * @param image the picture
 * @param label the label map
 */
public record SampleRef(String id, Path image, Path label) {}
