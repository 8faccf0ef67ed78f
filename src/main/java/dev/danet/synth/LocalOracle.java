package dev.danet.synth;

import java.util.HashMap;
import java.util.Map;

/**
 * The best pixel accuracy a classifier can reach when all it sees of a pixel is a key: the
 * pixels that share a key must share a prediction, so the best it can do is the majority label
 * of each key. With the key "what the pixel's neighbourhood looks like" this bounds every local
 * model. For the benchmarks' twins, whose context-decided pixels look the same in both images of
 * a pair and carry one label in each, the bound is exactly one half.
 */
public final class LocalOracle {

    private final Map<String, Map<Integer, Long>> pixels = new HashMap<>();

    /** Counts {@code count} pixels with this key and label. */
    public LocalOracle add(String key, int label, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("negative pixel count " + count);
        }
        if (count > 0) {
            pixels.computeIfAbsent(key, k -> new HashMap<>()).merge(label, count, Long::sum);
        }
        return this;
    }

    /** Pixels counted. */
    public long pixels() {
        return pixels.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    /** Keys counted. */
    public int keys() {
        return pixels.size();
    }

    /** The majority label's share of the pixels, summed over the keys; NaN when nothing was counted. */
    public double bestAccuracy() {
        long total = 0;
        long best = 0;
        for (Map<Integer, Long> labels : pixels.values()) {
            long max = 0;
            for (long c : labels.values()) {
                total += c;
                max = Math.max(max, c);
            }
            best += max;
        }
        return total == 0 ? Double.NaN : best / (double) total;
    }
}
