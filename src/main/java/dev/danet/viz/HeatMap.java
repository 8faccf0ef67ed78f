package dev.danet.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Attention and channel maps as pictures: a map on the feature grid is stretched to the photo
 * (bilinear, align_corners, as the model upsamples), scaled to [0, 1] and coloured with an
 * inferno-like ramp (dark = little, bright yellow = most), then blended over the photo.
 */
public final class HeatMap {

    /** How map values become [0, 1]. */
    public enum Scaling {
        /** v / max: for attention weights, where 0 means "draws nothing from here". */
        FROM_ZERO,
        /** (v - min) / (max - min): for activations, whose zero has no special meaning. */
        MIN_MAX
    }

    /** Ramp stops (position, r, g, b), after matplotlib's inferno. */
    private static final float[][] RAMP = {
        {0.00f, 0, 0, 4}, {0.25f, 87, 16, 110}, {0.50f, 188, 55, 84}, {0.75f, 249, 142, 9}, {1.00f, 252, 255, 164}
    };

    private HeatMap() {}

    /** Packed 0xRRGGBB ramp colour of t in [0, 1] (clamped). */
    public static int colour(double t) {
        double u = Math.max(0, Math.min(1, t));
        for (int i = 1; i < RAMP.length; i++) {
            if (u <= RAMP[i][0]) {
                float[] a = RAMP[i - 1];
                float[] b = RAMP[i];
                double f = (u - a[0]) / (b[0] - a[0]);
                int r = (int) Math.round(a[1] + f * (b[1] - a[1]));
                int g = (int) Math.round(a[2] + f * (b[2] - a[2]));
                int bl = (int) Math.round(a[3] + f * (b[3] - a[3]));
                return (r << 16) | (g << 8) | bl;
            }
        }
        return 0xfcffa4;
    }

    /** The map's values scaled to [0, 1]; a constant map gives zeros. */
    public static float[] normalise(float[] values, Scaling scaling) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float low = scaling == Scaling.FROM_ZERO ? 0 : min;
        float range = max - low;
        float[] out = new float[values.length];
        if (range > 0) {
            for (int i = 0; i < values.length; i++) {
                out[i] = (values[i] - low) / range;
            }
        }
        return out;
    }

    /**
     * The (rows x columns) map, scaled, coloured and blended over the photo with the given
     * opacity; the photo is shown in grey underneath so the colours read as the map's.
     */
    public static BufferedImage overlay(BufferedImage photo, float[] map, int rows, int columns, Scaling scaling,
            float opacity) {
        float[] unit = normalise(map, scaling);
        int w = photo.getWidth();
        int h = photo.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            double fy = h > 1 && rows > 1 ? (double) y * (rows - 1) / (h - 1) : 0;
            int y0 = (int) Math.floor(fy);
            int y1 = Math.min(y0 + 1, rows - 1);
            double dy = fy - y0;
            for (int x = 0; x < w; x++) {
                double fx = w > 1 && columns > 1 ? (double) x * (columns - 1) / (w - 1) : 0;
                int x0 = (int) Math.floor(fx);
                int x1 = Math.min(x0 + 1, columns - 1);
                double dx = fx - x0;
                double t = (1 - dy) * ((1 - dx) * unit[y0 * columns + x0] + dx * unit[y0 * columns + x1])
                        + dy * ((1 - dx) * unit[y1 * columns + x0] + dx * unit[y1 * columns + x1]);
                out.setRGB(x, y, blend(grey(photo.getRGB(x, y)), colour(t), opacity));
            }
        }
        return out;
    }

    /** Draws a point marker (white ring with a dark outline, and a centre dot) on the picture. */
    public static void mark(BufferedImage image, int x, int y, Color colour) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int r = Math.max(4, Math.min(image.getWidth(), image.getHeight()) / 40);
        g.setStroke(new BasicStroke(3f));
        g.setColor(Color.BLACK);
        g.drawOval(x - r, y - r, 2 * r, 2 * r);
        g.setStroke(new BasicStroke(1.5f));
        g.setColor(colour);
        g.drawOval(x - r, y - r, 2 * r, 2 * r);
        g.fillOval(x - 2, y - 2, 5, 5);
        g.dispose();
    }

    /** A horizontal colour bar of the ramp, low on the left. */
    public static BufferedImage colourBar(int width, int height) {
        BufferedImage bar = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            int c = colour(width > 1 ? (double) x / (width - 1) : 0);
            for (int y = 0; y < height; y++) {
                bar.setRGB(x, y, c);
            }
        }
        return bar;
    }

    private static int grey(int rgb) {
        int v = (int) Math.round(0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255));
        return (v << 16) | (v << 8) | v;
    }

    private static int blend(int a, int b, float alpha) {
        int r = Math.round(((a >> 16) & 255) * (1 - alpha) + ((b >> 16) & 255) * alpha);
        int g = Math.round(((a >> 8) & 255) * (1 - alpha) + ((b >> 8) & 255) * alpha);
        int bl = Math.round((a & 255) * (1 - alpha) + (b & 255) * alpha);
        return (r << 16) | (g << 8) | bl;
    }
}
