package dev.danet.eval;

import dev.danet.data.SegmentationDataset;
import dev.danet.inference.InferenceOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything metrics.json records about an evaluation: what was evaluated, how, the scores
 * and the time it took. Undefined scores (NaN) are written as null.
 *
 * @param model the model's configuration in words
 * @param weights the weights file
 * @param dataset the split evaluated
 * @param inference the inference settings
 * @param metrics the scores
 * @param timing wall time
 */
public record EvaluationReport(String model, String weights, Dataset dataset, Settings inference,
        SegmentationMetrics metrics, Timing timing) {

    /** The report of an evaluation of a split with the given inference settings. */
    public static EvaluationReport of(String model, Path weights, SegmentationDataset dataset, InferenceOptions options,
            EvaluationResult result, List<String> problems) {
        return new EvaluationReport(model, weights.toString(), new Dataset(dataset.layoutId(),
                dataset.root().toString(), dataset.split(), result.images(), result.skippedImages(), problems),
                Settings.of(options), result.metrics(), Timing.of(result));
    }

    /**
     * @param layout dataset layout id
     * @param root dataset folder
     * @param split split name
     * @param images images evaluated
     * @param skippedImages images skipped as unreadable
     * @param problems every bad sample reported (listing and loading), when skipping was asked for
     */
    public record Dataset(String layout, String root, String split, int images, int skippedImages,
            List<String> problems) {}

    /**
     * {@link InferenceOptions} as written to the report.
     *
     * @param baseSize null: each image's own long side
     * @param stride window stride in pixels
     * @param padValue "mean-colour" or "black"
     * @param scores "logits" or "exp"
     */
    public record Settings(double[] scales, boolean flip, int crop, Integer baseSize, int stride, double strideRatio,
            String padValue, boolean padSmallImages, String scores) {

        public static Settings of(InferenceOptions o) {
            return new Settings(o.scales(), o.flip(), o.crop(), o.baseSize() > 0 ? o.baseSize() : null,
                    o.windows().stride(), o.strideRatio(),
                    o.padValue() == InferenceOptions.PadValue.BLACK ? "black" : "mean-colour", o.padSmallImages(),
                    o.scoreKind() == InferenceOptions.ScoreKind.EXP ? "exp" : "logits");
        }
    }

    /**
     * @param seconds wall time, loading included
     * @param secondsPerImage seconds / images
     * @param inferenceSeconds time in inference alone
     */
    public record Timing(double seconds, double secondsPerImage, double inferenceSeconds) {

        public static Timing of(EvaluationResult result) {
            return new Timing(result.seconds(), result.secondsPerImage(), result.inferenceSeconds());
        }
    }
}
