package dev.danet.viz;

import dev.danet.AtomicFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writing pictures: PNG, atomically. */
public final class Images {

    private Images() {}

    public static void writePng(Path file, BufferedImage image) {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new java.io.IOException("no PNG writer");
            }
        });
    }

    /** An RgbImage as a Java image. */
    public static BufferedImage toBufferedImage(dev.danet.data.RgbImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        byte[] rgb = image.rgb();
        for (int i = 0, n = image.width() * image.height(); i < n; i++) {
            out.setRGB(i % image.width(), i / image.width(),
                    ((rgb[3 * i] & 255) << 16) | ((rgb[3 * i + 1] & 255) << 8) | (rgb[3 * i + 2] & 255));
        }
        return out;
    }

    /**
     * Class colours blended over the photo with the given opacity; ignore-labelled pixels
     * keep the photo.
     */
    public static BufferedImage overlay(BufferedImage photo, int[] labels, dev.danet.data.ClassSet classes,
            float opacity) {
        int w = photo.getWidth();
        BufferedImage out = new BufferedImage(w, photo.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < labels.length; i++) {
            int x = i % w;
            int y = i / w;
            int label = labels[i];
            int pixel = photo.getRGB(x, y);
            out.setRGB(x, y, label >= 0 && label < classes.size() ? blend(pixel, classes.colours()[label], opacity) : pixel);
        }
        return out;
    }

    /** A heat map of values in [0, max] blended over a photo (alpha 0.6), black to red to yellow. */
    public static BufferedImage heatOverlay(BufferedImage photo, float[] values, int height, int width) {
        float max = 1e-12f;
        for (float v : values) {
            max = Math.max(max, v);
        }
        BufferedImage out = new BufferedImage(photo.getWidth(), photo.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                float t = values[(y * height / out.getHeight()) * width + (x * width / out.getWidth())] / max;
                int heat = (clamp(t * 2) << 16) | (clamp(t * 2 - 1) << 8);
                out.setRGB(x, y, blend(photo.getRGB(x, y), heat, 0.6f));
            }
        }
        return out;
    }

    private static int clamp(float unit) {
        return Math.round(255 * Math.max(0, Math.min(1, unit)));
    }

    private static int blend(int a, int b, float alpha) {
        int r = Math.round(((a >> 16) & 255) * (1 - alpha) + ((b >> 16) & 255) * alpha);
        int g = Math.round(((a >> 8) & 255) * (1 - alpha) + ((b >> 8) & 255) * alpha);
        int bl = Math.round((a & 255) * (1 - alpha) + (b & 255) * alpha);
        return (r << 16) | (g << 8) | bl;
    }
}
