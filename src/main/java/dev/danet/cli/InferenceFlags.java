package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.inference.InferenceOptions;
import picocli.CommandLine.Option;

/**
 * Scales, flip and sliding windows for the commands that segment pictures (segment, serve). A
 * model whose card carries its publisher's test recipe is run with that recipe unless --crop or
 * --base-size say otherwise.
 */
final class InferenceFlags {

    @Option(names = "--scales", split = ",", paramLabel = "S,S,...", defaultValue = "1.0",
            description = "Scales to run and average (default: ${DEFAULT-VALUE}; e.g. 0.75,1.0,1.25).")
    double[] scales;

    @Option(names = "--flip", description = "Also run the mirrored image and average its scores in.")
    boolean flip;

    /** The window side without a recipe: any image size fits in memory. */
    static final int DEFAULT_CROP = 512;

    @Option(names = "--crop", paramLabel = "N",
            description = "Sliding-window side: images (after scaling) longer than this run as overlapping N x N"
                    + " windows, so any image size fits in memory (default: the model's published test recipe"
                    + " when its checkpoint has one, e.g. mmseg's whole image or 769 windows; else 512).")
    Integer crop;

    @Option(names = "--base-size", paramLabel = "N",
            description = "Resize so the long side is N at scale 1 (default: each image at its own size).")
    Integer baseSize;

    InferenceOptions toOptions() {
        try {
            if (scales == null || scales.length == 0) {
                throw new IllegalArgumentException("--scales needs at least one scale");
            }
            if (baseSize != null && baseSize < 1) {
                throw new IllegalArgumentException("--base-size must be positive, got " + baseSize);
            }
            return InferenceOptions.of(scales, flip, crop == null ? DEFAULT_CROP : crop,
                    baseSize == null ? 0 : baseSize);
        } catch (IllegalArgumentException e) {
            throw new DanetException(e.getMessage());
        }
    }

    /** The options for a loaded model: its card's test recipe when the flags name no window or size. */
    InferenceOptions toOptions(dev.danet.io.ModelCard card) {
        InferenceOptions flags = toOptions();
        if (crop != null || baseSize != null || card.testRecipe() == null) {
            return flags;
        }
        return InferenceOptions.fromRecipe(card.testRecipe(), flags.scales(), flip);
    }
}
