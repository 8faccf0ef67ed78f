package dev.danet.viz;

/** Class colours. The Cityscapes palette (by trainId) serves as the default. */
public final class Palette {

    private static final int[][] CITYSCAPES = {
        {128, 64, 128}, {244, 35, 232}, {70, 70, 70}, {102, 102, 156}, {190, 153, 153}, {153, 153, 153},
        {250, 170, 30}, {220, 220, 0}, {107, 142, 35}, {152, 251, 152}, {70, 130, 180}, {220, 20, 60},
        {255, 0, 0}, {0, 0, 142}, {0, 0, 70}, {0, 60, 100}, {0, 80, 100}, {0, 0, 230}, {119, 11, 32}
    };

    private Palette() {}

    /** Packed 0xRRGGBB colour of a class; classes past the palette get the VOC bit-pattern colours. */
    public static int rgb(int label) {
        if (label >= 0 && label < CITYSCAPES.length) {
            int[] c = CITYSCAPES[label];
            return (c[0] << 16) | (c[1] << 8) | c[2];
        }
        int r = 0;
        int g = 0;
        int b = 0;
        int c = label;
        for (int i = 0; i < 8; i++) {
            r |= ((c >> 0) & 1) << (7 - i);
            g |= ((c >> 1) & 1) << (7 - i);
            b |= ((c >> 2) & 1) << (7 - i);
            c >>= 3;
        }
        return (r << 16) | (g << 8) | b;
    }
}
