package dev.danet.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.DanetException;
import dev.danet.data.BadSamples;
import dev.danet.data.ImageDecoder;
import dev.danet.data.LabeledImage;
import dev.danet.data.Normalization;
import dev.danet.data.SegmentationDataset;
import dev.danet.inference.InferenceOptions;
import dev.danet.inference.WindowBudget;
import dev.danet.inference.Prediction;
import dev.danet.inference.SegmentationInference;
import dev.danet.nn.Network;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Runs {@link SegmentationInference} over a dataset split, one image at a time, and scores
 * the predictions against the labels with a {@link ConfusionMatrix} accumulated over the
 * whole split (as the reference accumulates its intersection and union histograms).
 * Each image's tensors live in a sub-manager closed after it, so memory stays flat.
 */
public final class Evaluator {

    /**
     * Where a run stands, reported after each image.
     *
     * @param done images evaluated so far
     * @param total images in the split
     * @param skipped images skipped as unreadable so far
     * @param lastId the image just evaluated
     * @param seconds wall time so far
     * @param pixelAccuracy running pixel accuracy
     * @param miouAllClasses running mIoU over all classes (the reference's, as its progress bar shows)
     */
    public record Status(int done, int total, int skipped, String lastId, double seconds, double pixelAccuracy,
            double miouAllClasses) {}

    /** Told after each image; for progress displays. */
    @FunctionalInterface
    public interface Progress {

        Progress NONE = status -> { };

        void update(Status status);
    }

    /** Given each image's prediction (class index per pixel, row-major), e.g. to save pictures. */
    @FunctionalInterface
    public interface PredictionSink {

        PredictionSink NONE = (sample, prediction) -> { };

        void accept(LabeledImage sample, int[] prediction);
    }

    private final SegmentationInference inference;
    private final NDManager parent;
    private final Normalization normalization;
    private final DataType dataType;

    /**
     * @param inference how each image is predicted
     * @param parent each image's tensors go in a sub-manager of this one
     * @param dataType the type the predictor takes (float32, or float64)
     */
    public Evaluator(SegmentationInference inference, NDManager parent, DataType dataType) {
        this(inference, parent, dataType, Normalization.IMAGENET);
    }

    /** As above, with the input normalisation the model expects. */
    public Evaluator(SegmentationInference inference, NDManager parent, DataType dataType,
            Normalization normalization) {
        this.inference = inference;
        this.parent = parent;
        this.dataType = dataType;
        this.normalization = normalization;
    }

    /** An evaluator of a network's main output (ImageNet normalisation). */
    public static Evaluator of(Network network, InferenceOptions options) {
        return of(network, Normalization.IMAGENET, options);
    }

    /** An evaluator of a network's main output, its input normalised as given. */
    public static Evaluator of(Network network, Normalization normalization, InferenceOptions options) {
        return new Evaluator(SegmentationInference.of(network, options), network.manager(), network.dataType(),
                normalization);
    }

    public SegmentationInference inference() {
        return inference;
    }

    /** Evaluates a whole split with unreadable images stopping the run, without callbacks. */
    public EvaluationResult evaluate(SegmentationDataset dataset) {
        return evaluate(dataset, BadSamples.failFast(), Progress.NONE, PredictionSink.NONE);
    }

    /**
     * Evaluates a whole split. An image that cannot be loaded goes to bad: it stops the run or
     * is skipped and recorded there, as its policy says.
     */
    public EvaluationResult evaluate(SegmentationDataset dataset, BadSamples bad, Progress progress,
            PredictionSink sink) {
        return evaluate(dataset.classes().names(), dataset.size(), dataset::load, bad, progress, sink);
    }

    /**
     * Evaluates count samples given by a loader, for classes with the given names. The model's
     * score maps must number classNames.size().
     */
    public EvaluationResult evaluate(List<String> classNames, int count, IntFunction<LabeledImage> loader,
            BadSamples bad, Progress progress, PredictionSink sink) {
        // A thin strip within the decoder's pixel limit can still take thousands of windows (and a
        // score map padded to them): it is a bad sample, as it is refused by segment and serve.
        WindowBudget windows = WindowBudget.forPixelLimit(inference.options(), ImageDecoder.MAX_PIXELS);
        ConfusionMatrix matrix = new ConfusionMatrix(classNames.size());
        long start = System.nanoTime();
        long inferenceNanos = 0;
        int done = 0;
        int skipped = 0;
        for (int i = 0; i < count; i++) {
            LabeledImage sample;
            try {
                sample = loader.apply(i);
                windows.check(sample.id(), sample.image().width(), sample.image().height());
            } catch (DanetException e) {
                bad.report(e);
                skipped++;
                continue;
            }
            long before = System.nanoTime();
            int[] labels = predict(sample, classNames.size());
            inferenceNanos += System.nanoTime() - before;
            try {
                matrix.add(sample.label().values(), labels);
            } catch (IllegalArgumentException e) {
                throw new DanetException(sample.id() + ": " + e.getMessage());
            }
            sink.accept(sample, labels);
            done++;
            SegmentationMetrics soFar = SegmentationMetrics.of(matrix, classNames);
            progress.update(new Status(done, count, skipped, sample.id(), (System.nanoTime() - start) / 1e9,
                    soFar.pixelAccuracy(), soFar.miouAllClasses()));
        }
        return new EvaluationResult(SegmentationMetrics.of(matrix, classNames), matrix, done, skipped,
                (System.nanoTime() - start) / 1e9, inferenceNanos / 1e9);
    }

    private int[] predict(LabeledImage sample, int classes) {
        int height = sample.image().height();
        int width = sample.image().width();
        try (NDManager scope = parent.newSubManager()) {
            NDArray image = scope.create(normalization.chw(sample.image()), new Shape(3, height, width))
                    .toType(dataType, false);
            Prediction prediction = inference.predict(image);
            long got = prediction.scores().getShape().get(0);
            if (got != classes) {
                throw new DanetException("the model gives " + got + " score maps but the dataset has " + classes
                        + " classes");
            }
            return prediction.labels();
        }
    }
}
