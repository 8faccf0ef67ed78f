package dev.danet.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.Network;
import java.util.function.Consumer;

/**
 * Inference with each batch norm folded into its convolution against the two layers run apart,
 * on one network's weights: the runs alternate, folded then separate, on one input, so that both
 * see the same machine (fairer than two processes on a noisy host).
 */
public final class FoldingStudy {

    /** Median times, their ratio (folded / separate), the samples, and how far the outputs differ. */
    public record Result(double foldedMedianMs, double separateMedianMs, double ratio, TimingSummary folded,
            TimingSummary separate, double relativeL2, double maxAbsDifference) {}

    private FoldingStudy() {}

    /** settings.warmup() untimed then settings.runs() timed runs of each side, alternating. */
    public static Result run(Network network, ModelBenchmark.Settings settings, Consumer<String> progress) {
        ExecutionOptions options = network.options();
        double[][] times = new double[2][settings.runs()];
        float[][] outputs = new float[2][];
        try (Network folded = network.withOptions(options.withFoldBatchNorms(true)).setInferenceOnly(true);
                Network separate = network.withOptions(options.withFoldBatchNorms(false)).setInferenceOnly(true);
                NDManager scope = network.manager().newSubManager()) {
            Network[] sides = {folded, separate};
            NDArray images = StudyInput.of(network, scope, settings);
            int total = 2 * (settings.warmup() + settings.runs());
            for (int i = 0; i < total; i++) {
                int side = i % 2;
                progress.accept(String.format("folded vs separate at %dx%d: run %d of %d", settings.height(),
                        settings.width(), i + 1, total));
                long start = System.nanoTime();
                outputs[side] = StudyInput.predict(sides[side], images);
                int timed = i / 2 - settings.warmup();
                if (timed >= 0) {
                    times[side][timed] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        TimingSummary foldedTimes = TimingSummary.of(times[0]);
        TimingSummary separateTimes = TimingSummary.of(times[1]);
        OutputDifference difference = OutputDifference.of(outputs[0], outputs[1]);
        return new Result(foldedTimes.median(), separateTimes.median(), foldedTimes.median() / separateTimes.median(),
                foldedTimes, separateTimes, difference.relativeL2(), difference.maxAbsDifference());
    }
}
