package dev.danet.synth;

import java.util.Arrays;

/**
 * The synthetic painter's raster: a colour image and a label map painted together, so that
 * every shape writes its colour and its labelId to exactly the same pixels (a pixel belongs
 * to a shape when its centre lies inside; no antialiasing).
 */
final class Canvas {

    /** The colour of a shape at a pixel. */
    @FunctionalInterface
    interface Shader {
        int at(int x, int y);
    }

    /** Which labelIds an effect (a shadow) may touch. */
    @FunctionalInterface
    interface LabelFilter {
        boolean accepts(int labelId);
    }

    final int width;
    final int height;
    /** Packed 0xRRGGBB, row-major. */
    final int[] rgb;
    /** Cityscapes labelIds, row-major. */
    final byte[] labels;

    Canvas(int width, int height) {
        this.width = width;
        this.height = height;
        this.rgb = new int[width * height];
        this.labels = new byte[width * height];
    }

    void put(int x, int y, int labelId, int colour) {
        int i = y * width + x;
        rgb[i] = colour;
        labels[i] = (byte) labelId;
    }

    /** Fills the pixels of a row whose centres lie in [xa, xb). */
    void span(int y, double xa, double xb, int labelId, Shader shader) {
        if (y < 0 || y >= height) {
            return;
        }
        int from = Math.max(0, (int) Math.ceil(xa - 0.5));
        int to = Math.min(width, (int) Math.ceil(xb - 0.5));
        int row = y * width;
        for (int x = from; x < to; x++) {
            rgb[row + x] = shader.at(x, y);
            labels[row + x] = (byte) labelId;
        }
    }

    /** First row whose centre is at or below y. */
    static int firstRow(double y) {
        return (int) Math.ceil(y - 0.5);
    }

    void fillRect(double x0, double y0, double x1, double y1, int labelId, Shader shader) {
        int from = Math.max(0, firstRow(y0));
        int to = Math.min(height, firstRow(y1));
        for (int y = from; y < to; y++) {
            span(y, x0, x1, labelId, shader);
        }
    }

    void fillEllipse(double cx, double cy, double rx, double ry, int labelId, Shader shader) {
        if (rx <= 0 || ry <= 0) {
            return;
        }
        int from = Math.max(0, firstRow(cy - ry));
        int to = Math.min(height, firstRow(cy + ry));
        for (int y = from; y < to; y++) {
            double dy = (y + 0.5 - cy) / ry;
            double half = rx * Math.sqrt(Math.max(0, 1 - dy * dy));
            span(y, cx - half, cx + half, labelId, shader);
        }
    }

    /** Even-odd scanline fill of a polygon sampled at pixel centres. */
    void fillPolygon(double[] xs, double[] ys, int labelId, Shader shader) {
        forEachSpan(xs, ys, (y, xa, xb) -> span(y, xa, xb, labelId, shader));
    }

    /** Multiplies the colour inside a polygon by factor where the label passes; labels unchanged. */
    void darkenPolygon(double[] xs, double[] ys, double factor, LabelFilter filter) {
        forEachSpan(xs, ys, (y, xa, xb) -> {
            int a = Math.max(0, (int) Math.ceil(xa - 0.5));
            int b = Math.min(width, (int) Math.ceil(xb - 0.5));
            for (int x = a; x < b; x++) {
                int i = y * width + x;
                if (filter.accepts(labels[i] & 0xff)) {
                    rgb[i] = Colour.scale(rgb[i], factor);
                }
            }
        });
    }

    /** A polygon's inside on one row: the pixels whose centres lie in [xa, xb). */
    @FunctionalInterface
    private interface SpanAction {
        void at(int y, double xa, double xb);
    }

    /** Visits the inside of a polygon row by row (even-odd rule, sampled at pixel centres). */
    private void forEachSpan(double[] xs, double[] ys, SpanAction action) {
        int n = xs.length;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (double y : ys) {
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        int from = Math.max(0, firstRow(minY));
        int to = Math.min(height, firstRow(maxY));
        double[] crossings = new double[n];
        for (int y = from; y < to; y++) {
            double yc = y + 0.5;
            int count = 0;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                double ya = ys[j];
                double yb = ys[i];
                if ((ya <= yc && yc < yb) || (yb <= yc && yc < ya)) {
                    crossings[count++] = xs[j] + (yc - ya) * (xs[i] - xs[j]) / (yb - ya);
                }
            }
            Arrays.sort(crossings, 0, count);
            for (int k = 0; k + 1 < count; k += 2) {
                action.at(y, crossings[k], crossings[k + 1]);
            }
        }
    }
}
