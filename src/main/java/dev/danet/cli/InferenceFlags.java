package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.inference.InferenceOptions;
import dev.danet.io.ModelCard;
import java.io.Serializable;
import picocli.CommandLine.Option;

/**
 * Scales, flip and sliding windows, for the commands that run a model on pictures (segment,
 * serve, eval). A model whose card carries its publisher's test recipe is run with that recipe
 * at the flags' scales and flip, unless a flag names a window or a size. The Spark jobs take the
 * same flags and send them, as parsed, to their executors (hence Serializable).
 */
public class InferenceFlags implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The window side without a recipe: any image size fits in memory. */
    static final int DEFAULT_CROP = 512;

    @Option(names = "--scales", split = ",", paramLabel = "S,S,...", defaultValue = "1.0",
            description = "Test-time scales to run and combine (default: ${DEFAULT-VALUE}; the reference's multi-scale"
                    + " set is 0.5,0.75,1.0,1.25,1.5,1.75,2.0). Not the model's own scales: an Attention-to-Scale model"
                    + " (trained with train --scales) brings those in its checkpoint and fuses them inside every run.")
    double[] scales;

    @Option(names = "--flip", description = "Also run the mirrored image and add its scores in.")
    boolean flip;

    @Option(names = "--crop", paramLabel = "N",
            description = "Sliding-window side: images (after scaling) longer than this run as overlapping N x N"
                    + " windows, so any image size fits in memory (default: the model's published test recipe"
                    + " when its checkpoint has one, e.g. mmseg's whole image or 769 windows; else 512).")
    Integer crop;

    @Option(names = "--base-size", paramLabel = "N",
            description = "Resize so the long side is N at scale 1 (default: each image at its own size).")
    Integer baseSize;

    /**
     * The inference options for a model with this card: its test recipe when it has one and no flag
     * replaces it, else the flags'. With no card (null), the flags' alone: what a command checks
     * before it loads anything.
     */
    public final InferenceOptions toOptions(ModelCard card) {
        InferenceOptions flags;
        try {
            if (scales == null || scales.length == 0) {
                throw new IllegalArgumentException("--scales needs at least one scale");
            }
            if (baseSize != null && baseSize < 1) {
                throw new IllegalArgumentException("--base-size must be positive, got " + baseSize);
            }
            flags = refine(InferenceOptions.of(scales, flip, crop == null ? DEFAULT_CROP : crop,
                    baseSize == null ? 0 : baseSize));
        } catch (IllegalArgumentException e) {
            throw new DanetException(e.getMessage());
        }
        if (card == null || card.testRecipe() == null || replacesRecipe()) {
            return flags;
        }
        return InferenceOptions.fromRecipe(card.testRecipe(), flags.scales(), flip);
    }

    /** Whether the flags say how to run the model instead of its card's recipe. */
    boolean replacesRecipe() {
        return crop != null || baseSize != null;
    }

    /** The flags' options with whatever a command's further flags change. */
    InferenceOptions refine(InferenceOptions options) {
        return options;
    }

    /** eval's flags: the reference's stride and remaining details too, to reproduce published numbers. */
    public static final class WithReferenceDetails extends InferenceFlags {

        private static final long serialVersionUID = 1L;

        @Option(names = "--stride-ratio", paramLabel = "R",
                description = "Window stride as a fraction of the crop (default: 2/3 for one scale, 1/2 for several).")
        Double strideRatio;

        @Option(names = "--reference-exact",
                description = "Match the reference's remaining details: pad with black (-mean/std) instead of the mean"
                        + " colour, pad small whole images to the crop, and sum exp(logits) instead of logits.")
        boolean referenceExact;

        @Override
        boolean replacesRecipe() {
            return super.replacesRecipe() || strideRatio != null || referenceExact;
        }

        @Override
        InferenceOptions refine(InferenceOptions options) {
            InferenceOptions strided = strideRatio == null ? options : options.withStrideRatio(strideRatio);
            return referenceExact ? strided.referenceExact() : strided;
        }
    }
}
