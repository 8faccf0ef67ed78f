package dev.danet.spark;

import dev.danet.inference.InferenceOptions;
import dev.danet.io.ModelCard;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Which model a job runs and how: what every executor needs to load it and to build the same
 * {@link InferenceOptions} as `./danet segment` / `./danet eval` with the same flags. Sent with
 * the job, so it holds plain values only.
 *
 * @param weights the model file: a path every executor can read, or the name of a file shipped
 *     with spark-submit --files (see {@link ExecutorModels})
 * @param scales test-time scales
 * @param flip also run the mirrored image
 * @param crop sliding-window side, or null for the model card's recipe (else {@link #DEFAULT_CROP})
 * @param baseSize long side at scale 1, or null for each image's own size (or the card's recipe)
 */
public record ModelSpec(String weights, double[] scales, boolean flip, Integer crop, Integer baseSize)
        implements Serializable {

    /** The CLI's window side without a recipe (cli.InferenceFlags.DEFAULT_CROP). */
    public static final int DEFAULT_CROP = 512;

    public ModelSpec {
        scales = scales.clone();
        // Fails here, on the driver, rather than on every executor.
        InferenceOptions.of(scales, flip, crop == null ? DEFAULT_CROP : crop, baseSize == null ? 0 : baseSize);
    }

    /**
     * The inference options for a model with this card, by the CLI's rule: the card's test
     * recipe when it has one and neither --crop nor --base-size replaces it, else the flags'.
     */
    public InferenceOptions options(ModelCard card) {
        boolean flagsReplaceRecipe = crop != null || baseSize != null;
        if (card != null && card.testRecipe() != null && !flagsReplaceRecipe) {
            return InferenceOptions.fromRecipe(card.testRecipe(), scales, flip);
        }
        return InferenceOptions.of(scales, flip, crop == null ? DEFAULT_CROP : crop, baseSize == null ? 0 : baseSize);
    }

    @Override
    public double[] scales() {
        return scales.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec other && weights.equals(other.weights) && Arrays.equals(scales, other.scales)
                && flip == other.flip && java.util.Objects.equals(crop, other.crop)
                && java.util.Objects.equals(baseSize, other.baseSize);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(weights, Arrays.hashCode(scales), flip, crop, baseSize);
    }
}
