package dev.danet.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.data.Normalization;
import dev.danet.data.RgbImage;
import dev.danet.nn.Network;

/**
 * Segments one picture with a network: normalisation, {@link SegmentationInference} (scales,
 * flip, sliding windows where the image is larger than the crop) and the per-pixel argmax.
 * Every tensor lives in a sub-manager closed before returning, so nothing accumulates over
 * many images.
 */
public final class ImageSegmenter {

    /** Which score maps to hand back besides the labels (they cost K floats per pixel). */
    public enum Scores {
        NONE, LOGITS, PROBABILITIES, BOTH;

        /** The choice that hands back the logits and / or the probabilities as asked. */
        public static Scores of(boolean logits, boolean probabilities) {
            return logits && probabilities ? BOTH : logits ? LOGITS : probabilities ? PROBABILITIES : NONE;
        }
    }

    /**
     * One picture's result.
     *
     * @param width pixels per row
     * @param height rows
     * @param labels class index per pixel, row-major
     * @param classes number of classes
     * @param logits (K, H, W) logits averaged over the scales and flips run, or null
     * @param probabilities (K, H, W) softmax of those averaged logits, or null
     */
    public record Result(int width, int height, int[] labels, int classes, float[] logits, float[] probabilities) {}

    private final Network network;
    private final Normalization normalization;
    private final SegmentationInference inference;
    private final int runsPerImage;

    public ImageSegmenter(Network network, InferenceOptions options) {
        this(network, Normalization.IMAGENET, options);
    }

    /** A segmenter whose input is normalised as the model expects (its card's normalisation). */
    public ImageSegmenter(Network network, Normalization normalization, InferenceOptions options) {
        this.network = network;
        this.normalization = normalization;
        this.inference = SegmentationInference.of(network, options.withScoreKind(InferenceOptions.ScoreKind.LOGITS));
        this.runsPerImage = options.scales().length * (options.flip() ? 2 : 1);
    }

    public InferenceOptions options() {
        return inference.options();
    }

    public Result segment(RgbImage image, Scores scores) {
        int h = image.height();
        int w = image.width();
        try (NDManager scope = network.manager().newSubManager()) {
            NDArray x = scope.create(normalization.chw(image), new Shape(3, h, w)).toType(network.dataType(), false);
            // Inference sums scales and flips; the mean keeps logits on the model's own scale. In place: the
            // score map is the largest array of the image (K floats per pixel).
            NDArray mean = inference.scores(x).divi(runsPerImage);
            int[] labels;
            try (NDArray argmax = mean.argMax(0); NDArray ints = argmax.toType(DataType.INT32, false)) {
                labels = ints.toIntArray();
            }
            boolean logits = scores == Scores.LOGITS || scores == Scores.BOTH;
            boolean probabilities = scores == Scores.PROBABILITIES || scores == Scores.BOTH;
            return new Result(w, h, labels, (int) mean.getShape().get(0),
                    logits ? floats(mean) : null, probabilities ? floats(mean.softmax(0)) : null);
        }
    }

    private static float[] floats(NDArray array) {
        return array.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
