package dev.danet.bench;

import java.util.Arrays;

/**
 * Repeated timings of one phase, summarised robustly: the median and the spread (min, quartiles,
 * max). Benchmarks report the median because a single descheduled run skews a mean.
 */
public record TimingSummary(double median, double min, double p25, double p75, double max, int count) {

    public static TimingSummary of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new TimingSummary(quantile(sorted, 0.5), sorted[0], quantile(sorted, 0.25), quantile(sorted, 0.75),
                sorted[sorted.length - 1], sorted.length);
    }

    /** Linear interpolation between order statistics (numpy's default). */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
