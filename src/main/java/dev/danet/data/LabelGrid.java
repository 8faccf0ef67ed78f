package dev.danet.data;

/**
 * A label per pixel, row-major. As read from a label file the values are as stored there
 * (palette index, grey level or 16-bit value); after the dataset's {@link LabelEncoding} decodes
 * them, they are class indices with {@link ClassSet#IGNORE} for pixels that are not scored.
 *
 * @param width pixels per row
 * @param height rows
 * @param values width * height values
 */
public record LabelGrid(int width, int height, int[] values) {

    public LabelGrid {
        if (values.length != width * height) {
            throw new IllegalArgumentException("values holds " + values.length + " for " + width + "x" + height);
        }
    }

    public int get(int x, int y) {
        return values[y * width + x];
    }
}
