package dev.danet.synth;

/** Packed 0xRRGGBB colour arithmetic for the scene painter. */
final class Colour {

    private Colour() {}

    static int rgb(double r, double g, double b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    static int clamp(double v) {
        return v <= 0 ? 0 : v >= 255 ? 255 : (int) (v + 0.5);
    }

    static int red(int c) {
        return (c >> 16) & 0xff;
    }

    static int green(int c) {
        return (c >> 8) & 0xff;
    }

    static int blue(int c) {
        return c & 0xff;
    }

    static int scale(int c, double f) {
        return rgb(red(c) * f, green(c) * f, blue(c) * f);
    }

    /** a at t = 0, b at t = 1. */
    static int mix(int a, int b, double t) {
        return rgb(red(a) + (red(b) - red(a)) * t,
                green(a) + (green(b) - green(a)) * t,
                blue(a) + (blue(b) - blue(a)) * t);
    }

    /** Each channel moved by up to +-amount, brightness by up to +-brightness (a fraction). */
    static int jitter(int c, SceneRandom random, double amount, double brightness) {
        double f = 1 + random.range(-brightness, brightness);
        return rgb((red(c) + random.range(-amount, amount)) * f,
                (green(c) + random.range(-amount, amount)) * f,
                (blue(c) + random.range(-amount, amount)) * f);
    }
}
