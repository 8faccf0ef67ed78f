package dev.danet.train;

import dev.danet.DanetException;
import dev.danet.data.BadSamples;
import dev.danet.data.SegmentationDataset;
import dev.danet.eval.EvaluationResult;
import dev.danet.eval.Evaluator;
import dev.danet.eval.InferenceOptions;
import dev.danet.eval.SegmentationMetrics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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

    public static Outcome run(TrainConfig config, Path outDir, boolean resume, BadSamples bad,
            TrainingListener listener) {
        Path root = Path.of(config.dataRoot());
        SegmentationDataset train = SegmentationDataset.open(config.dataset(), root, "train", bad);
        if (train.classes().size() != config.model().classes()) {
            throw new DanetException(root + ": has " + train.classes().size() + " classes but the model was built for "
                    + config.model().classes());
        }
        SegmentationDataset val = openValidation(config, root, bad, listener);
        Validation validation = val == null ? null : network -> {
            int window = Math.max(config.crop(), VALIDATION_WINDOW);
            EvaluationResult result = Evaluator.of(network, InferenceOptions.singleScale(window)).evaluate(val);
            return summary(result.metrics());
        };
        return new Outcome(Trainer.run(config, train, outDir, resume, bad, validation, listener), outDir);
    }

    /** The metrics logged per validation; "mIoU" (over classes present) is the one plotted. */
    public static Map<String, Double> summary(SegmentationMetrics m) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("mIoU", m.miouPresentClasses());
        out.put("mIoU_all_classes", m.miouAllClasses());
        out.put("pixAcc", m.pixelAccuracy());
        return out;
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
