package dev.danet.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The backbone's first layers, before the max pool. The deep stems replace the 7x7 convolution
 * by three 3x3 convolutions (the first with stride 2) with batch norm and ReLU between them;
 * they differ in width only.
 */
public enum Stem {
    /** One 7x7/2 convolution to the base width (torchvision, the released DANet). */
    CONV7("7x7"),
    /** 3x3 convolutions to w, w, 2w for base width w (the reference code's deep_base). */
    DEEP("deep"),
    /** 3x3 convolutions to w/2, w/2, w (ResNetV1c, mmsegmentation's backbones). */
    DEEP_V1C("v1c");

    private final String id;

    Stem(String id) {
        this.id = id;
    }

    /** Channels of the stem's first two convolutions for base width w (deep stems only). */
    public int innerChannels(int width) {
        return this == DEEP ? width : Math.max(1, width / 2);
    }

    /** Channels the stem hands to layer1. */
    public int outChannels(int width) {
        return this == DEEP ? 2 * width : width;
    }

    public boolean deep() {
        return this != CONV7;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static Stem parse(String text) {
        for (Stem stem : values()) {
            if (stem.id.equalsIgnoreCase(text.trim())) {
                return stem;
            }
        }
        throw new IllegalArgumentException("unknown stem '" + text + "': use 7x7, deep or v1c");
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
