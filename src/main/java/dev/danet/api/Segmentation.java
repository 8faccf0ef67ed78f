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

    /**
     * Pixels per row of the picture: results are at the picture's own size.
     *
     * @return the picture's width
     */
    public int width() {
        return width;
    }

    /**
     * Rows of the picture.
     *
     * @return the picture's height
     */
    public int height() {
        return height;
    }

    /**
     * The class index at a pixel.
     *
     * @param x column, 0 to {@code width() - 1}
     * @param y row, 0 to {@code height() - 1}
     * @return an index into {@link #classNames()}
     * @throws IndexOutOfBoundsException when the pixel is outside the picture
     */
    public int labelAt(int x, int y) {
        return labels[index(x, y)];
    }

    /**
     * The class name at a pixel.
     *
     * @param x column, 0 to {@code width() - 1}
     * @param y row, 0 to {@code height() - 1}
     * @return the name of the class at (x, y)
     * @throws IndexOutOfBoundsException when the pixel is outside the picture
     */
    public String classAt(int x, int y) {
        return classes.names().get(labelAt(x, y));
    }

    /**
     * The class index of every pixel.
     *
     * @return {@code width() * height()} indices, row-major; a copy
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * The model's class names.
     *
     * @return the names by class index, unmodifiable
     */
    public List<String> classNames() {
        return classes.names();
    }

    /**
     * The display colour of each class, as the model's card gives it.
     *
     * @return 0xRRGGBB by class index; a copy
     */
    public int[] colours() {
        return classes.colours().clone();
    }

    /**
     * How many pixels each class got.
     *
     * @return pixel counts by class index
     */
    public long[] pixelCounts() {
        return classes.pixelCounts(labels);
    }

    /**
     * Whether the probabilities were computed.
     *
     * @return whether {@link Output#PROBABILITIES} was asked for
     */
    public boolean hasProbabilities() {
        return probabilities != null;
    }

    /**
     * The probability of a class at a pixel.
     *
     * @param label class index, 0 to {@code classNames().size() - 1}
     * @param x column
     * @param y row
     * @return the softmax probability, 0..1
     * @throws IllegalStateException when {@link Output#PROBABILITIES} was not asked for
     * @throws IndexOutOfBoundsException when the class or pixel does not exist
     */
    public float probability(int label, int x, int y) {
        requireProbabilities();
        if (label < 0 || label >= classes.size()) {
            throw new IndexOutOfBoundsException("class " + label + " is outside 0.." + (classes.size() - 1));
        }
        return probabilities[label * width * height + index(x, y)];
    }

    /**
     * All probabilities.
     *
     * @return (K, height, width) values, class-major, row-major within a class; a copy
     * @throws IllegalStateException when {@link Output#PROBABILITIES} was not asked for
     */
    public float[] probabilities() {
        requireProbabilities();
        return probabilities.clone();
    }

    /**
     * The attention maps.
     *
     * @return the maps when {@link Output#ATTENTION} was asked for, else empty
     */
    public Optional<AttentionMaps> attention() {
        return Optional.ofNullable(attention);
    }

    /**
     * The segmentation as a picture: each pixel in its class's colour.
     *
     * @return an RGB image of the picture's size
     */
    public BufferedImage colourImage() {
        return LabelPictures.colour(labels, width, height, classes);
    }

    /**
     * The class indices as an image to save as PNG, as {@code ./danet segment}'s label file.
     *
     * @return an indexed image whose pixel values are class indices (16-bit grey beyond 256 classes)
     */
    public BufferedImage labelImage() {
        return LabelPictures.indexed(labels, width, height, classes);
    }

    /**
     * The class colours blended over the photo.
     *
     * @param photo the segmented picture, of this result's size
     * @param opacity of the colours, 0..1
     * @return a new RGB image
     * @throws IllegalArgumentException when the photo's size or the opacity does not fit
     */
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
