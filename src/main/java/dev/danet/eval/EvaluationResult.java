package dev.danet.eval;

/**
 * What an evaluation run produced.
 *
 * @param metrics scores over every evaluated image
 * @param confusion the pixel counts they come from
 * @param images images evaluated
 * @param skippedImages images that could not be loaded and were skipped (their errors went to the BadSamples)
 * @param seconds wall time of the run, loading included
 * @param inferenceSeconds time spent in inference alone
 */
public record EvaluationResult(SegmentationMetrics metrics, ConfusionMatrix confusion, int images, int skippedImages,
        double seconds, double inferenceSeconds) {

    /** Wall seconds per evaluated image (NaN when none was). */
    public double secondsPerImage() {
        return images > 0 ? seconds / images : Double.NaN;
    }
}
