package dev.danet.train;

import dev.danet.DanetException;
import dev.danet.data.BadSamples;
import dev.danet.data.ImageDecoder;
import dev.danet.data.SegmentationDataset;
import dev.danet.eval.EvaluationResult;
import dev.danet.eval.Evaluator;
import dev.danet.inference.InferenceOptions;
import dev.danet.nn.ExecutionOptions;
import dev.danet.process.NativeAllocator;
import java.nio.file.Path;

/**
 * A whole training run as the CLI and the demo start it: open the configured dataset's train
 * and val splits, validate on val (single scale, whole images), train.
 */
public final class TrainingJob {

    /** Images up to this side are validated whole; larger ones in windows of this size. */
    static final int VALIDATION_WINDOW = 1024;

    /** How the run ended. */
    public record Outcome(Trainer.Result result, Path outDir) {
        public String describe() {
            StringBuilder s = new StringBuilder(String.format("trained %d iterations in %.1f min: %s",
                    result.iterations(), result.seconds() / 60, result.model()));
            result.validation().forEach((k, v) -> s.append(String.format(", %s %.4f", k, v)));
            return s.toString();
        }
    }

    private TrainingJob() {}

    /** A run with the library's default execution options. */
    public static Outcome run(TrainConfig config, Path outDir, boolean resume, BadSamples bad,
            TrainingListener listener) {
        return run(config, ExecutionOptions.DEFAULTS, outDir, resume, bad, listener);
    }

    public static Outcome run(TrainConfig config, ExecutionOptions execution, Path outDir, boolean resume,
            BadSamples bad, TrainingListener listener) {
        Path root = Path.of(config.dataRoot());
        SegmentationDataset train = SegmentationDataset.open(config.dataset(), root, "train", bad);
        if (train.classes().size() != config.model().classes()) {
            throw new DanetException(root + ": has " + train.classes().size() + " classes but the model was built for "
                    + config.model().classes());
        }
        checkCropFits(config, train);
        SegmentationDataset val = openValidation(config, root, bad, listener);
        Validation validation = val == null ? null : network -> {
            int window = Math.max(Math.max(config.cropHeight(), config.cropWidth()), VALIDATION_WINDOW);
            EvaluationResult result = Evaluator.of(network, InferenceOptions.singleScale(window))
                    .evaluate(val, bad, Evaluator.Progress.NONE, Evaluator.PredictionSink.NONE);
            return result.metrics().summary();
        };
        if (execution.trainingMemory().mapsLargeBuffers()) {
            NativeAllocator.mapLargeBuffers(true);
        }
        return new Outcome(Trainer.run(config, execution, train, outDir, resume, bad, validation, listener), outDir);
    }

    /**
     * Padding a crop that sticks out of an image is normal (the reference does it), but a crop
     * larger than every image even at the largest scale trains mostly on padding: refuse it.
     */
    static void checkCropFits(TrainConfig config, SegmentationDataset train) {
        long largestHeight = 0;
        long largestWidth = 0;
        for (var sample : train.samples()) {
            int[] size;
            try {
                size = ImageDecoder.size(sample.image());
            } catch (DanetException unreadable) {
                continue; // the loader reports it, or stops, as the bad-sample policy says
            }
            double factor = config.baseSize() * config.maxScale() / Math.min(size[0], size[1]);
            largestWidth = Math.max(largestWidth, Math.round(size[0] * factor));
            largestHeight = Math.max(largestHeight, Math.round(size[1] * factor));
        }
        if (config.cropHeight() > largestHeight && config.cropWidth() > largestWidth) {
            throw new DanetException(train.root() + ": crop " + config.cropHeight() + "x" + config.cropWidth()
                    + " is larger than every training image even at the largest scale (at most " + largestHeight + "x"
                    + largestWidth + " with base size " + config.baseSize() + " and scale " + config.maxScale()
                    + "); lower --crop or raise --base-size");
        }
    }

    private static SegmentationDataset openValidation(TrainConfig config, Path root, BadSamples bad,
            TrainingListener listener) {
        try {
            return SegmentationDataset.open(config.dataset(), root, "val", bad);
        } catch (DanetException e) {
            listener.message("no validation: " + e.getMessage());
            return null;
        }
    }
}
