package dev.danet.data;

/**
 * An 8-bit RGB picture, row-major and interleaved (r, g, b per pixel).
 *
 * @param width pixels per row
 * @param height rows
 * @param rgb 3 * width * height bytes
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("rgb holds " + rgb.length + " bytes for " + width + "x" + height);
        }
    }

    public int red(int x, int y) {
        return rgb[3 * (y * width + x)] & 0xff;
    }

    public int green(int x, int y) {
        return rgb[3 * (y * width + x) + 1] & 0xff;
    }

    public int blue(int x, int y) {
        return rgb[3 * (y * width + x) + 2] & 0xff;
    }
}
