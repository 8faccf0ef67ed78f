package dev.danet.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the multi-scale wrapper merges its scales' score maps (Chen et al. 2016, section 3). */
public enum ScaleFusion {
    /** Learned per-pixel softmax weights over the scales (the paper's model). */
    ATTENTION,
    /** Every scale weighted 1/S (the paper's average-pooling baseline). */
    AVERAGE,
    /** Per pixel and class, the largest score over the scales (the paper's max-pooling baseline). */
    MAX;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ScaleFusion parse(String text) {
        for (ScaleFusion fusion : values()) {
            if (fusion.id().equalsIgnoreCase(text.trim())) {
                return fusion;
            }
        }
        throw new IllegalArgumentException("unknown fusion '" + text + "': use attention, average or max");
    }
}
