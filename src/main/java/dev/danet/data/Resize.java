package dev.danet.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Resizing for augmentation: bilinear for pictures (Java2D), nearest-neighbour for label
 * maps so that they stay class indices.
 */
public final class Resize {

    private Resize() {}

    public static RgbImage bilinear(RgbImage image, int width, int height) {
        if (width == image.width() && height == image.height()) {
            return image;
        }
        BufferedImage src = toBgr(image);
        BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, width, height, null);
        g.dispose();
        return fromBgr(dst);
    }

    /** Nearest neighbour: output pixel (x, y) takes the input pixel under its centre. */
    public static LabelGrid nearest(LabelGrid labels, int width, int height) {
        if (width == labels.width() && height == labels.height()) {
            return labels;
        }
        int[] columns = new int[width];
        for (int x = 0; x < width; x++) {
            columns[x] = Math.min(labels.width() - 1, (int) ((x + 0.5) * labels.width() / width));
        }
        int[] out = new int[width * height];
        int[] in = labels.values();
        for (int y = 0; y < height; y++) {
            int row = Math.min(labels.height() - 1, (int) ((y + 0.5) * labels.height() / height)) * labels.width();
            for (int x = 0; x < width; x++) {
                out[y * width + x] = in[row + columns[x]];
            }
        }
        return new LabelGrid(width, height, out);
    }

    private static BufferedImage toBgr(RgbImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        byte[] rgb = image.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return out;
    }

    private static RgbImage fromBgr(BufferedImage image) {
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new RgbImage(image.getWidth(), image.getHeight(), rgb);
    }
}
