package dev.danet.nn;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The ResNet variants: block type and block counts per stage, as in He et al. */
public enum ResNetDepth {
    RESNET18(false, 2, 2, 2, 2),
    RESNET34(false, 3, 4, 6, 3),
    RESNET50(true, 3, 4, 6, 3),
    RESNET101(true, 3, 4, 23, 3),
    RESNET152(true, 3, 8, 36, 3);

    private final boolean bottleneck;
    private final int[] blocks;

    ResNetDepth(boolean bottleneck, int... blocks) {
        this.bottleneck = bottleneck;
        this.blocks = blocks;
    }

    public boolean bottleneck() {
        return bottleneck;
    }

    public int expansion() {
        return bottleneck ? 4 : 1;
    }

    /** Blocks in stage 1..4 (index 0..3). */
    public int blocks(int stage) {
        return blocks[stage];
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static ResNetDepth parse(String text) {
        for (ResNetDepth depth : values()) {
            if (depth.id().equalsIgnoreCase(text.trim())) {
                return depth;
            }
        }
        throw new IllegalArgumentException("unknown backbone '" + text + "': use one of "
                + Arrays.stream(values()).map(ResNetDepth::id).collect(Collectors.joining(", ")));
    }

    /** The variant with this block type and these block counts, if any. */
    public static ResNetDepth of(boolean bottleneck, int[] counts) {
        for (ResNetDepth depth : values()) {
            if (depth.bottleneck == bottleneck && Arrays.equals(depth.blocks, counts)) {
                return depth;
            }
        }
        return null;
    }
}
