package dev.danet.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.process.ProcessMemory;
import dev.danet.train.LossWeights;
import dev.danet.train.Recipe;
import dev.danet.train.SegmentationLoss;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Time and memory of one model configuration: inference forward and training step (forward,
 * loss on every output, backward), medians over repeats after a warm-up, and the process's
 * peak resident memory after each phase. One configuration per process, because the peak is
 * process-wide; tools/scale-bench.sh runs the single-scale network and its wrappers in turn.
 */
@Command(name = "scale-bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure forward and training-step time and peak memory of a (multi-scale) model on random input. "
                    + "Prints one markdown table row; run once per configuration (the memory peak is per process). "
                    + "The model is the scale-ablation recipe's base network (FCN on ResNet-18 at width 16, output "
                    + "stride 8), changed by the flags given; --scales wraps it.",
            "",
            "Example: ./danet --threads 2 scale-bench --model fcn --width 16 --size 128x256 \\",
            "           --scales 1,0.75,0.5"
        })
final class ScaleBenchCommand implements Callable<Integer> {

    /** Cityscapes'. */
    private static final int CLASSES = 19;

    @Mixin
    ArchitectureOptions architecture;

    @Option(names = "--size", defaultValue = "128x256", paramLabel = "HxW", description = "Input size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--batch", defaultValue = "8", description = "Training batch (default: ${DEFAULT-VALUE}); inference uses 1.")
    int batch;

    @Option(names = "--repeat", defaultValue = "5", description = "Timed repeats of each phase (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int[] hw = Sizes.parseSquareOrRectangle(size, "--size");
        ModelConfig config = architecture.applyTo(Recipe.load("scale-ablation").builder(CLASSES).model().base());
        SegmentationLoss loss = new SegmentationLoss(LossWeights.reference().byOutput(config));
        Engine.getInstance().setRandomSeed(1);
        try (Network network = Network.create(config, ExecutionFlags.of(spec))) {
            long built = kilobytes(ProcessMemory.residentBytes());
            double[] forward = new double[repeat];
            double[] train = new double[repeat];
            for (int i = -1; i < repeat; i++) { // i = -1: warm-up
                try (NDManager scope = network.manager().newSubManager()) {
                    NDArray image = scope.randomNormal(new Shape(1, 3, hw[0], hw[1]));
                    long t0 = System.nanoTime();
                    network.predict(image).toFloatArray();
                    if (i >= 0) {
                        forward[i] = (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
            long forwardPeak = kilobytes(ProcessMemory.peakBytes());
            for (int i = -1; i < repeat; i++) {
                try (NDManager scope = network.manager().newSubManager()) {
                    NDArray images = scope.randomNormal(new Shape(batch, 3, hw[0], hw[1]));
                    NDArray labels = scope.randomInteger(0, CLASSES, new Shape(batch, hw[0], hw[1]), DataType.INT32);
                    long t0 = System.nanoTime();
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        collector.backward(loss.compute(network.forwardAll(images, true), labels).total());
                    }
                    network.parameters().values().stream().filter(p -> p.requiresGradient())
                            .forEach(p -> p.getArray().getGradient().toFloatArray()); // wait for the backward pass
                    if (i >= 0) {
                        train[i] = (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
            long trainPeak = kilobytes(ProcessMemory.peakBytes());
            System.out.printf("| %s | %s | %d | %.3f | %.3f | %d | %d | %d |%n",
                    config.multiScale() ? config.scales().describe() : "single scale", size, batch, median(forward),
                    median(train), built / 1024, forwardPeak / 1024, trainPeak / 1024);
        }
        return 0;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Bytes in kB, -1 staying -1 (no /proc). */
    private static long kilobytes(long bytes) {
        return bytes < 0 ? -1 : bytes / 1024;
    }
}
