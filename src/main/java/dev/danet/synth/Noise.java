package dev.danet.synth;

/**
 * Deterministic hash noise for the synthetic scenes. Pure integer hashing and plain arithmetic
 * (no transcendental functions), so the same inputs give the same values on every JVM and
 * whatever thread computes them.
 */
final class Noise {

    private Noise() {}

    /** SplitMix64's finaliser: a bijective 64-bit mix. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform value in [0, 1) for an integer lattice point. */
    static double hash(long seed, int x, int y) {
        long h = mix(seed + x * 0x9E3779B97F4A7C15L + y * 0xD1B54A32D192ED03L);
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Smooth value noise in [0, 1] with one lattice cell per unit. */
    static double value(long seed, double x, double y) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        int ix = (int) fx;
        int iy = (int) fy;
        double tx = x - fx;
        double ty = y - fy;
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        double a = hash(seed, ix, iy);
        double b = hash(seed, ix + 1, iy);
        double c = hash(seed, ix, iy + 1);
        double d = hash(seed, ix + 1, iy + 1);
        double top = a + (b - a) * tx;
        double bottom = c + (d - c) * tx;
        return top + (bottom - top) * ty;
    }

    /** Fractal sum of value noise, normalised to [0, 1]. */
    static double fbm(long seed, double x, double y, int octaves) {
        double sum = 0;
        double amplitude = 1;
        double norm = 0;
        for (int i = 0; i < octaves; i++) {
            sum += amplitude * value(seed + i * 0x632BE59BD9B4E019L, x, y);
            norm += amplitude;
            amplitude *= 0.5;
            x *= 2.03;
            y *= 2.03;
        }
        return sum / norm;
    }

    static double clamp01(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    /** x modulo period, in [0, period). */
    static double wrap(double x, double period) {
        return x - Math.floor(x / period) * period;
    }
}
