package dev.danet.weights;

import dev.danet.io.TestRecipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The test-time settings behind a published mIoU. The image is scaled, keeping its aspect
 * ratio, by min(longSide / its long side, shortSide / its short side) over the bounds given
 * (mmseg's Resize(scale=(long, short), keep_ratio=True); the reference's base size is a long
 * side alone, torchvision's resize_size a short side alone), then run whole or as sliding
 * crop x crop windows that start stride apart.
 *
 * @param mode whole or slide
 * @param longSide bound on the long side, or null
 * @param shortSide bound on the short side, or null
 * @param crop window side (slide only)
 * @param stride window step (slide only)
 * @param alignCorners how the model's logits were upsampled to the input size
 */
public record PublishedRecipe(Mode mode, Integer longSide, Integer shortSide, Integer crop, Integer stride,
        boolean alignCorners) {

    /** Whole image in one pass, or sliding windows. */
    public enum Mode {
        WHOLE, SLIDE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PublishedRecipe {
        if (mode == null) {
            throw new IllegalArgumentException("recipe mode must be whole or slide");
        }
        if (mode == Mode.SLIDE && (crop == null || stride == null || stride < 1 || stride > crop)) {
            throw new IllegalArgumentException("a sliding-window recipe needs a crop and a stride of 1 to crop");
        }
    }

    /**
     * The recipe as a model card carries it, for eval, segment and serve.
     *
     * @param reference whether the publisher tests as the reference DANet does (else as mmsegmentation)
     */
    public TestRecipe toTestRecipe(boolean reference) {
        TestRecipe recipe = mode == Mode.SLIDE ? TestRecipe.slide(crop, stride)
                : TestRecipe.WHOLE;
        return recipe.withResize(longSide == null ? 0 : longSide, shortSide == null ? 0 : shortSide)
                .withConvention(reference ? TestRecipe.Convention.REFERENCE
                        : TestRecipe.Convention.MMSEG);
    }

    /** A short description for a table, e.g. "slide 769/513, fit 2049x1025, align_corners". */
    public String summary() {
        List<String> parts = new ArrayList<>();
        parts.add(mode == Mode.SLIDE ? "slide " + crop + "/" + stride : "whole");
        if (longSide != null && shortSide != null) {
            parts.add("fit " + longSide + "x" + shortSide);
        } else if (longSide != null) {
            parts.add("long side " + longSide);
        } else if (shortSide != null) {
            parts.add("short side " + shortSide);
        }
        if (alignCorners) {
            parts.add("align_corners");
        }
        return String.join(", ", parts);
    }
}
