package dev.danet.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes tiny images and label maps in the formats the datasets use. */
final class SampleFiles {

    private SampleFiles() {}

    /** An RGB picture whose pixel (x, y) is (10x, 10y, 7). */
    static Path picture(Path file, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, ((10 * x) << 16) | ((10 * y) << 8) | 7);
            }
        }
        return write(file, image, file.toString().endsWith(".jpg") ? "jpg" : "png");
    }

    /** An 8-bit grey label PNG holding the given values row by row. */
    static Path greyLabels(Path file, int width, int height, int... values) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setPixels(0, 0, width, height, values);
        return write(file, image, "png");
    }

    /** A palette PNG (VOC style) whose pixel indices are the given values. */
    static Path paletteLabels(Path file, int width, int height, int... indices) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        int[] colours = ClassSet.vocColours(0, 256);
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (colours[i] >> 16);
            g[i] = (byte) (colours[i] >> 8);
            b[i] = (byte) colours[i];
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, r, g, b));
        WritableRaster raster = image.getRaster();
        raster.setPixels(0, 0, width, height, indices);
        return write(file, image, "png");
    }

    private static Path write(Path file, BufferedImage image, String format) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IOException("no writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
