package dev.danet.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.danet.nn.BilinearResize;
import dev.danet.nn.DanetHead;
import dev.danet.nn.Network;
import dev.danet.nn.TrainingPass;
import dev.danet.nn.SegmentationOutputs;
import dev.danet.train.LossWeights;
import dev.danet.process.ProcessMemory;
import dev.danet.train.SegmentationLoss;
import dev.danet.train.Sgd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Times a network's inference and training step on random data, after warm-up, over repeated
 * runs. Inference is split into the phases of DANet's figure: backbone, PAM, CAM, the head's
 * other layers, and the final upsampling; each is timed on its own input, and the whole
 * forward pass end to end as well (libtorch runs each op synchronously on the CPU, so wall
 * time around a call is that call's time). Every run allocates in its own scope, freed before
 * the next.
 */
public final class ModelBenchmark {

    /** What to run: input size, batch, warm-up and measured runs. */
    public record Settings(int height, int width, int batch, int warmup, int runs) {
        public Settings {
            if (height < 8 || width < 8 || batch < 1 || warmup < 0 || runs < 1) {
                throw new IllegalArgumentException("size must be at least 8x8, batch and runs positive");
            }
        }
    }

    /** Per-phase timings in milliseconds and the peak resident memory of the measured runs. */
    public record Result(Map<String, TimingSummary> milliseconds, long peakResidentBytes, long residentBeforeBytes) {}

    private final Network network;
    private final Settings settings;

    public ModelBenchmark(Network network, Settings settings) {
        this.network = network;
        this.settings = settings;
    }

    /** Inference: backbone, pam, cam, head (other layers), upsample, and "total" end to end. */
    public Result inference(Consumer<String> progress) {
        network.setInferenceOnly(true); // as eval, segment and serve run it: batch norms folded
        Phases phases = new Phases();
        return measure(phases, progress, scope -> {
            NDArray images = images(scope);
            ParameterStore ps = network.parameterStore();
            long t0 = System.nanoTime();
            NDList features = network.baseModel().backbone().forward(ps, new NDList(images), false);
            long t1 = System.nanoTime();
            NDList scores = network.baseModel().head().forward(ps, new NDList(features.get(3)), false);
            long t2 = System.nanoTime();
            NDArray upsampled = BilinearResize.alignCorners(scores.get(0), settings.height(), settings.width());
            long t3 = System.nanoTime();
            // The attention modules are timed again on their own, on inputs of their real shape
            // (their cost does not depend on the values), and taken out of the head's time.
            Map<String, Double> attention = new LinkedHashMap<>();
            if (network.baseModel().head() instanceof DanetHead head) {
                Shape c4 = features.get(3).getShape();
                Shape branch = new Shape(c4.get(0), network.config().headBranchChannels(), c4.get(2), c4.get(3));
                for (var module : new ai.djl.nn.Block[] {head.positionAttention(), head.channelAttention()}) {
                    if (module != null) {
                        NDArray input = scope.randomNormal(branch).toType(network.dataType(), false);
                        attention.put(module == head.positionAttention() ? "pam" : "cam",
                                time(() -> module.forward(ps, new NDList(input), false)));
                    }
                }
            }
            long t4 = System.nanoTime();
            network.predict(images);
            long t5 = System.nanoTime();
            phases.add("backbone", (t1 - t0) / 1e6);
            attention.forEach(phases::add);
            phases.add("head (other layers)",
                    (t2 - t1) / 1e6 - attention.values().stream().mapToDouble(Double::doubleValue).sum());
            phases.add("upsample", (t3 - t2) / 1e6);
            phases.add("total", (t5 - t4) / 1e6);
            upsampled.close();
        });
    }

    /**
     * One SGD training step as the trainer takes it: forward in training mode with every
     * output, cross-entropy on each, backward, update (momentum and weight decay as the recipe).
     */
    public Result trainingStep(Consumer<String> progress) {
        network.setInferenceOnly(false);
        Phases phases = new Phases();
        TrainingStep step = new TrainingStep(network);
        return measure(phases, progress, scope -> {
            NDArray images = images(scope);
            NDArray labels = scope.randomInteger(0, network.config().classes(),
                    new Shape(settings.batch(), settings.height(), settings.width()), DataType.INT32);
            step.run(images, labels).forEach(phases::add);
        });
    }

    /**
     * One SGD step of a network as the trainer takes it, timed by phase: forward with the losses,
     * backward, update (momentum 0.9, weight decay 1e-4, head multiplier 10; a negligible rate, so
     * that repeated steps see the same weights).
     */
    static final class TrainingStep {
        private final Network network;
        private final Sgd sgd;
        private final SegmentationLoss loss;

        TrainingStep(Network network) {
            this.network = network;
            this.sgd = new Sgd(network.manager(), network.parameters(), 0.9, 1e-4,
                    name -> !name.startsWith("pretrained."), 10);
            this.loss = new SegmentationLoss(new LossWeights(1, 1, 1, 1, null).byOutput(network.config()));
        }

        /** Milliseconds by phase: "forward + loss", "backward", "update", "total". */
        Map<String, Double> run(NDArray images, NDArray labels) {
            long t0 = System.nanoTime();
            long t1;
            long t2;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                    TrainingPass pass = network.trainingPass(images)) {
                NDArray total = loss.computeReleasingOutputs(pass.outputs(), labels).total();
                t1 = System.nanoTime();
                pass.backward(collector, total);
                t2 = System.nanoTime();
            }
            sgd.step(1e-9);
            long t3 = System.nanoTime();
            Map<String, Double> phases = new LinkedHashMap<>();
            phases.put("forward + loss", (t1 - t0) / 1e6);
            phases.put("backward", (t2 - t1) / 1e6);
            phases.put("update", (t3 - t2) / 1e6);
            phases.put("total", (t3 - t0) / 1e6);
            return phases;
        }
    }

    private NDArray images(NDManager scope) {
        return scope.randomNormal(new Shape(settings.batch(), 3, settings.height(), settings.width()))
                .toType(network.dataType(), false);
    }

    private Result measure(Phases phases, Consumer<String> progress, Consumer<NDManager> run) {
        for (int i = 0; i < settings.warmup(); i++) {
            progress.accept("warm-up " + (i + 1) + "/" + settings.warmup());
            runScoped(run);
        }
        phases.clear();
        System.gc();
        long before = ProcessMemory.residentBytes();
        boolean reset = ProcessMemory.resetPeak();
        for (int i = 0; i < settings.runs(); i++) {
            progress.accept("run " + (i + 1) + "/" + settings.runs());
            runScoped(run);
        }
        long peak = reset ? ProcessMemory.peakBytes() : -1;
        return new Result(phases.summary(), peak, before);
    }

    private void runScoped(Consumer<NDManager> run) {
        try (NDManager scope = network.manager().newSubManager()) {
            run.accept(scope);
        }
    }

    private static double time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1e6;
    }

    /** Samples per phase, in the order phases were first added. */
    private static final class Phases {
        private final Map<String, List<Double>> values = new LinkedHashMap<>();

        void add(String phase, double ms) {
            values.computeIfAbsent(phase, k -> new ArrayList<>()).add(ms);
        }

        void clear() {
            values.clear();
        }

        Map<String, TimingSummary> summary() {
            Map<String, TimingSummary> out = new LinkedHashMap<>();
            values.forEach((phase, v) -> out.put(phase, TimingSummary.of(v.stream().mapToDouble(Double::doubleValue).toArray())));
            return out;
        }
    }
}
