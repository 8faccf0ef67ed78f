package dev.danet.nn;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The multi-scale wrapper's part of a model configuration: the input scales one shared
 * network runs at, and how their score maps are fused.
 *
 * @param scales input scale factors, e.g. 1, 0.75, 0.5 (the paper's set); the first need not be 1:
 *               score maps are fused at the feature size a scale-1 input would give
 * @param fusion attention, average or max
 */
public record ScaleConfig(List<Double> scales, ScaleFusion fusion) {

    /** More scales than this is surely a typo, and each costs a full forward pass. */
    public static final int MAX_SCALES = 8;

    public ScaleConfig {
        if (scales == null || scales.isEmpty() || fusion == null) {
            throw new IllegalArgumentException("a multi-scale model needs at least one scale and a fusion");
        }
        scales = List.copyOf(scales);
        if (scales.size() > MAX_SCALES) {
            throw new IllegalArgumentException("at most " + MAX_SCALES + " scales, got " + scales.size());
        }
        for (double s : scales) {
            if (!(s >= 0.1 && s <= 4)) {
                throw new IllegalArgumentException("scales must be in 0.1..4, got " + s);
            }
        }
        if (scales.stream().distinct().count() != scales.size()) {
            throw new IllegalArgumentException("scales must differ from each other: " + scales);
        }
    }

    /** The paper's setting: scales 1, 0.75 and 0.5 fused by attention. */
    public static ScaleConfig paper() {
        return new ScaleConfig(List.of(1.0, 0.75, 0.5), ScaleFusion.ATTENTION);
    }

    @JsonIgnore
    public int count() {
        return scales.size();
    }

    /** "1/0.75/0.5, attention fusion". */
    public String describe() {
        return scales.stream().map(ScaleConfig::format).collect(Collectors.joining("/")) + ", " + fusion.id() + " fusion";
    }

    static String format(double scale) {
        return scale == Math.rint(scale) ? String.valueOf((long) scale) : String.valueOf(scale);
    }
}
