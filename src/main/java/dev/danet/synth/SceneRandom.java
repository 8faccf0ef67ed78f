package dev.danet.synth;

/**
 * A small SplitMix64 generator. Its sequence is fixed by this code (not by a JDK class whose
 * algorithm could change), so a scene drawn from (seed, split, index) is the same everywhere.
 */
final class SceneRandom {

    private long state;

    SceneRandom(long seed) {
        this.state = seed;
    }

    /** A generator keyed by several values, e.g. (seed, split, index): each key changes the whole stream. */
    static SceneRandom keyed(long... keys) {
        long h = 0x243F6A8885A308D3L;
        for (long key : keys) {
            h = Noise.mix(h ^ Noise.mix(key + 0x9E3779B97F4A7C15L));
        }
        return new SceneRandom(h);
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return Noise.mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    double range(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Log-uniform in [lo, hi): as likely in [1, 2) as in [10, 20), e.g. depths along a street. */
    double logUniform(double lo, double hi) {
        return lo * StrictMath.exp(range(0, StrictMath.log(hi / lo)));
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        return (int) (nextDouble() * bound);
    }

    /** Uniform in [lo, hi], both included. */
    int rangeInt(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    boolean chance(double p) {
        return nextDouble() < p;
    }

    int pick(int... items) {
        return items[nextInt(items.length)];
    }

    /** An index drawn with the given relative weights. */
    int weighted(double... weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = nextDouble() * total;
        for (int i = 0; i < weights.length - 1; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
