package dev.danet.viz;

import dev.danet.data.ClassSet;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;

/** A predicted label map as pictures: the indexed label PNG and the colour-coded view. */
public final class LabelPictures {

    private LabelPictures() {}

    /**
     * The label map as an 8-bit palette image: pixel value = class index (what a dataset's
     * label PNG holds, as PASCAL VOC stores them), palette = the classes' colours, so it reads
     * back as indices and shows in colour. Palette entries past the classes are black (255,
     * the ignore label, included). A model with more than 255 classes (class 255 would read as
     * the ignore label, 256 does not fit a byte) gets a 16-bit grey image of class indices instead.
     */
    public static BufferedImage indexed(int[] labels, int width, int height, ClassSet classes) {
        if (classes.size() > ClassSet.IGNORE) {
            return sixteenBit(labels, width, height);
        }
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        int[] colours = classes.colours();
        for (int i = 0; i < colours.length; i++) {
            r[i] = (byte) (colours[i] >> 16);
            g[i] = (byte) (colours[i] >> 8);
            b[i] = (byte) colours[i];
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, r, g, b));
        byte[] pixels = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            pixels[i] = (byte) (label >= 0 && label < 256 ? label : ClassSet.IGNORE);
        }
        return image;
    }

    private static BufferedImage sixteenBit(int[] labels, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        short[] pixels = ((java.awt.image.DataBufferUShort) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < labels.length; i++) {
            pixels[i] = (short) labels[i];
        }
        return image;
    }

    /** Each pixel in its class's colour (black for labels outside the classes). */
    public static BufferedImage colour(int[] labels, int width, int height, ClassSet classes) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] colours = classes.colours();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int label = labels[y * width + x];
                row[x] = label >= 0 && label < colours.length ? colours[label] : 0;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }
}
