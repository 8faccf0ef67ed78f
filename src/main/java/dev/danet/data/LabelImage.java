package dev.danet.data;

/**
 * A label map, row-major. Before a dataset maps it, the values are as stored in the file
 * (palette index, grey level or 16-bit value); after, they are class indices with
 * {@link ClassSet#IGNORE} for pixels that are not scored.
 *
 * @param width pixels per row
 * @param height rows
 * @param values width * height values
 */
public record LabelImage(int width, int height, int[] values) {

    public LabelImage {
        if (values.length != width * height) {
            throw new IllegalArgumentException("values holds " + values.length + " for " + width + "x" + height);
        }
    }

    public int get(int x, int y) {
        return values[y * width + x];
    }
}
