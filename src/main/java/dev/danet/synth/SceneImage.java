package dev.danet.synth;

/** A painted picture and its Cityscapes labelIds, painted together with the same shapes. */
public interface SceneImage {

    /** Pixels per row. */
    int width();

    /** Rows. */
    int height();

    /** Packed 0xRRGGBB colours, row-major. */
    int[] rgb();

    /** Cityscapes labelIds (unsigned bytes), row-major. */
    byte[] labelIds();

    default int labelId(int x, int y) {
        return labelIds()[y * width() + x] & 0xff;
    }

    default int colour(int x, int y) {
        return rgb()[y * width() + x];
    }

    /** Pixel counts per labelId (256 entries). */
    default long[] labelCounts() {
        long[] counts = new long[256];
        for (byte b : labelIds()) {
            counts[b & 0xff]++;
        }
        return counts;
    }
}
