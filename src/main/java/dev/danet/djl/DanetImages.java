package dev.danet.djl;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import dev.danet.data.ImageDecoder;
import dev.danet.data.RgbImage;
import dev.danet.viz.Images;
import java.nio.file.Path;

/**
 * Pictures as DJL {@link Image}s, read as {@code ./danet segment} and {@link dev.danet.api.Segmenter}
 * read them: a JPEG's EXIF orientation applied (DJL's {@code ImageFactory.fromFile} keeps the stored
 * pixels, so a phone photo taken upright arrives on its side), alpha dropped, grey as r = g = b.
 * With these, a predictor's mask is the one {@code ./danet segment} writes, pixel for pixel.
 */
public final class DanetImages {

    private DanetImages() {}

    /**
     * The picture in the file (PNG, JPEG, BMP or GIF, as {@code ./danet segment} reads), up to the
     * decoder's ceiling of 100 million pixels; a segmenter refuses more than its own limit (25 million
     * by default) when it runs.
     *
     * @param file the picture's file
     * @return the picture upright, 8-bit RGB
     * @throws dev.danet.DanetException naming the file when it is missing, unreadable or not an image
     */
    public static Image read(Path file) {
        return toImage(ImageDecoder.readRgb(file));
    }

    /**
     * A picture held in memory, e.g. a request body; {@code name} stands for it in error messages.
     * Pictures of more than {@code maxPixels} are refused from their header, before decoding.
     *
     * @param name what error messages call the picture, e.g. the upload's file name
     * @param encoded PNG, JPEG, BMP or GIF
     * @param maxPixels the largest width times height accepted
     * @return the picture upright, 8-bit RGB
     * @throws dev.danet.DanetException naming it when the bytes are not an image or too large
     */
    public static Image decode(String name, byte[] encoded, long maxPixels) {
        return toImage(ImageDecoder.decodeRgb(name, encoded, maxPixels));
    }

    private static Image toImage(RgbImage rgb) {
        return ImageFactory.getInstance().fromImage(Images.toBufferedImage(rgb));
    }
}
