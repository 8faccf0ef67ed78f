package dev.danet.api;

import dev.danet.data.ClassSet;
import dev.danet.viz.Images;
import dev.danet.viz.LabelPictures;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

/**
 * One picture's segmentation: a class per pixel, the model's class names and colours, and what
 * else was asked for ({@link Output}). Immutable and safe to share between threads; arrays handed
 * out are copies.
 */
public final class Segmentation {

    private final int width;
    private final int height;
    private final int[] labels;
    private final ClassSet classes;
    private final float[] probabilities;
    private final AttentionMaps attention;

    Segmentation(int width, int height, int[] labels, ClassSet classes, float[] probabilities,
            AttentionMaps attention) {
        this.width = width;
        this.height = height;
        this.labels = labels;
        this.classes = classes;
        this.probabilities = probabilities;
        this.attention = attention;
    }

    /** Pixels per row of the picture (results are at the picture's own size). */
    public int width() {
        return width;
    }

    /** Rows of the picture. */
    public int height() {
        return height;
    }

    /** The class index at pixel (x, y). */
    public int labelAt(int x, int y) {
        return labels[index(x, y)];
    }

    /** The class name at pixel (x, y). */
    public String classAt(int x, int y) {
        return classes.names().get(labelAt(x, y));
    }

    /** Class index per pixel, row-major ({@code width * height} values); a copy. */
    public int[] labels() {
        return labels.clone();
    }

    /** The model's class names, by class index. */
    public List<String> classNames() {
        return classes.names();
    }

    /** The display colour of each class as 0xRRGGBB, by class index; a copy. */
    public int[] colours() {
        return classes.colours().clone();
    }

    /** Pixels predicted for each class, by class index. */
    public long[] pixelCounts() {
        return classes.pixelCounts(labels);
    }

    /** Whether {@link Output#PROBABILITIES} was asked for. */
    public boolean hasProbabilities() {
        return probabilities != null;
    }

    /** The probability of class {@code label} at pixel (x, y). */
    public float probability(int label, int x, int y) {
        requireProbabilities();
        if (label < 0 || label >= classes.size()) {
            throw new IndexOutOfBoundsException("class " + label + " is outside 0.." + (classes.size() - 1));
        }
        return probabilities[label * width * height + index(x, y)];
    }

    /** All probabilities as (K, height, width), class-major, row-major within a class; a copy. */
    public float[] probabilities() {
        requireProbabilities();
        return probabilities.clone();
    }

    /** The attention maps, when {@link Output#ATTENTION} was asked for. */
    public Optional<AttentionMaps> attention() {
        return Optional.ofNullable(attention);
    }

    /** Each pixel in its class's colour. */
    public BufferedImage colourImage() {
        return LabelPictures.colour(labels, width, height, classes);
    }

    /** The class indices as a palette PNG's pixels (16-bit grey beyond 256 classes). */
    public BufferedImage labelImage() {
        return LabelPictures.indexed(labels, width, height, classes);
    }

    /** The class colours blended over the photo (of this result's size) with the given opacity, 0..1. */
    public BufferedImage overlay(BufferedImage photo, float opacity) {
        if (photo.getWidth() != width || photo.getHeight() != height) {
            throw new IllegalArgumentException("the photo is " + photo.getWidth() + "x" + photo.getHeight()
                    + ", the segmentation " + width + "x" + height);
        }
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be between 0 and 1, got " + opacity);
        }
        return Images.overlay(photo, labels, classes, opacity);
    }

    private int index(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            throw new IndexOutOfBoundsException("pixel " + x + "," + y + " is outside the " + width + "x" + height
                    + " picture");
        }
        return y * width + x;
    }

    private void requireProbabilities() {
        if (probabilities == null) {
            throw new IllegalStateException("probabilities were not computed; ask for Output.PROBABILITIES");
        }
    }
}
