package dev.danet.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.danet.DanetException;
import dev.danet.bench.BackboneFlops;
import dev.danet.bench.Environment;
import dev.danet.bench.GemmPeak;
import dev.danet.bench.ModelBenchmark;
import dev.danet.bench.TimingSummary;
import dev.danet.io.AtomicFiles;
import dev.danet.io.ModelLoader;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.PositionAttention;
import dev.danet.nn.ResNetDepth;
import dev.danet.viz.ScalingPlot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Times inference and a training step of one model configuration; prints a table, writes JSON. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Time a model's inference (per phase) and training step: medians, spread, peak memory.",
            "",
            "Random weights and inputs of the given size (or --weights FILE). Each phase is timed after "
                    + "--warmup runs over --runs runs: backbone, PAM, CAM, the head's other layers and the final "
                    + "upsampling, plus the whole forward pass; for training: forward with the losses, backward "
                    + "and the SGD update. Peak memory is the process's resident set during the measured runs. "
                    + "Threads and position-attention memory are global options: ./danet --threads 2 "
                    + "--pam-memory plain bench ...",
            "",
            "Example: ./danet bench --backbone resnet50 --size 512 --mode both \\",
            "           --json bench.json"
        })
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Benchmark this model instead of a random one built from the options below.")
    Path weights;

    @Option(names = "--model", defaultValue = "danet", description = "danet, pam, cam or fcn (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--backbone", defaultValue = "resnet50", description = "resnet18/34/50/101/152 (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--width", defaultValue = "64", description = "First-stage channels (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--classes", defaultValue = "19", description = "Classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--output-stride", defaultValue = "8", description = "8 or 16 (default: ${DEFAULT-VALUE}).")
    int outputStride;

    @Option(names = "--multi-grid", description = "Multi-grid dilations in layer4.")
    boolean multiGrid;

    @Option(names = "--aux", description = "With the auxiliary head (counts in training only).")
    boolean aux;

    @Option(names = "--size", defaultValue = "512", paramLabel = "N|HxW[,...]",
            description = "Input size, or several separated by commas (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--batch", defaultValue = "1", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "10", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    /** What to time. */
    enum Mode { inference, train, both }

    @Option(names = "--mode", defaultValue = "inference", paramLabel = "inference|train|both",
            description = "What to time (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--pam-compare",
            description = "Run every size twice: with the whole position-attention map (plain) and in row blocks "
                    + "(lean, the 256 MB budget).")
    boolean pamCompare;

    @Option(names = "--fold-compare",
            description = "Per size, also alternate inference runs with batch norms folded into the convolutions and "
                    + "run apart, in one process (fairer than two runs on a noisy machine); print both medians and "
                    + "how far the outputs differ.")
    boolean foldCompare;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "With several sizes or --pam-compare: time and peak memory against input size.")
    Path plot;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Override
    public Integer call() {
        boolean inference = mode != Mode.train;
        boolean train = mode != Mode.inference;
        List<int[]> sizes = new ArrayList<>();
        for (String one : size.split(",")) {
            sizes.add(Sizes.parseSquareOrRectangle(one.trim(), "--size"));
        }
        Map<String, Long> pamModes = new LinkedHashMap<>();
        if (pamCompare) {
            pamModes.put("plain", Long.MAX_VALUE);
            pamModes.put("lean", PositionAttention.DEFAULT_BLOCK_BYTES);
        } else {
            pamModes.put(PositionAttention.blockBytes() == Long.MAX_VALUE ? "plain" : "auto", PositionAttention.blockBytes());
        }
        Map<String, Object> report = new LinkedHashMap<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        List<ScalingPlot.Point> points = new ArrayList<>();
        try (Network network = weights != null
                ? ModelLoader.load(weights, ModelLoader.Options.defaults(), System.err)
                : Network.create(config())) {
            report.put("model", network.config().describe());
            report.put("parameters", network.parameterCount());
            report.put("environment", Environment.describe());
            double gemm = GemmPeak.gigaflops(network.manager(), 2048, 5);
            report.put("gemmPeakGflops", gemm);
            System.out.printf("%s, %,d parameters; %d threads, %d warm-up + %d timed runs%n",
                    network.config().describe(), network.parameterCount(),
                    Integer.getInteger("ai.djl.pytorch.num_threads", 0), warmup, this.runs);
            System.out.printf("GEMM peak (libtorch, 2048x2048 float32): %.1f GFLOP/s%n", gemm);
            try (ProgressLine progress = new ProgressLine()) {
                for (int[] hw : sizes) {
                    ModelBenchmark.Settings settings =
                            parse(() -> new ModelBenchmark.Settings(hw[0], hw[1], batch, warmup, this.runs));
                    ModelBenchmark bench = new ModelBenchmark(network, settings);
                    for (Map.Entry<String, Long> pam : pamModes.entrySet()) {
                        PositionAttention.setBlockBytes(pam.getValue());
                        Map<String, Object> run = new LinkedHashMap<>();
                        run.put("settings", settings);
                        run.put("pam", pam.getKey());
                        String title = String.format("%dx%d x %d, PAM %s", hw[0], hw[1], batch, pam.getKey());
                        if (inference) {
                            ModelBenchmark.Result r = bench.inference(progress::show);
                            progress.clear();
                            double gflop = BackboneFlops.of(network.config(), batch, hw[0], hw[1]) / 1e9;
                            double rate = gflop / (r.milliseconds().get("backbone").median() / 1e3);
                            print("inference, " + title, r, batch);
                            System.out.printf("backbone: %.1f GFLOP in the convolutions, %.1f GFLOP/s = %.0f%% of the GEMM peak%n",
                                    gflop, rate, 100 * rate / gemm);
                            run.put("inference", r);
                            run.put("backboneGflop", gflop);
                            run.put("backboneGflops", rate);
                            points.add(new ScalingPlot.Point(pam.getKey(), hw[0], hw[1],
                                    r.milliseconds().get("total").median() / 1e3, r.peakResidentBytes()));
                        }
                        if (train) {
                            ModelBenchmark.Result r = bench.trainingStep(progress::show);
                            progress.clear();
                            print("training step, " + title, r, batch);
                            run.put("trainingStep", r);
                        }
                        runs.add(run);
                    }
                    if (foldCompare) {
                        Map<String, Object> folding = foldedAgainstSeparate(network, hw, progress);
                        progress.clear();
                        System.out.printf("batch norms folded / separate at %dx%d: median %.1f / %.1f ms = %.3f "
                                + "(alternating, %d runs each); outputs: relative L2 %.2e%n", hw[0], hw[1],
                                folding.get("foldedMedianMs"), folding.get("separateMedianMs"), folding.get("ratio"),
                                this.runs, folding.get("relativeL2"));
                        runs.get(runs.size() - 1).put("foldedVsSeparate", folding);
                    }
                    if (pamCompare && inference) {
                        Map<String, Double> agreement = leanAgainstPlain(network, hw);
                        System.out.printf("lean vs plain output at %dx%d: relative L2 %.2e, max |difference| %.2e%n",
                                hw[0], hw[1], agreement.get("relativeL2"), agreement.get("maxAbsDifference"));
                        runs.get(runs.size() - 1).put("leanVsPlain", agreement);
                    }
                }
            } finally {
                PositionAttention.setBlockBytes(0);
            }
        }
        report.put("runs", runs);
        if (plot != null && !points.isEmpty()) {
            ScalingPlot.write(plot, points);
            System.out.println("wrote " + plot);
        }
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            AtomicFiles.write(json, out -> mapper.writeValue(out, report));
            System.out.println("wrote " + json);
        }
        return 0;
    }

    /**
     * Inference with batch norms folded and run apart, alternating run by run on one input so
     * that both see the same machine; medians, their ratio and the outputs' relative difference.
     */
    private Map<String, Object> foldedAgainstSeparate(Network network, int[] hw, ProgressLine progress) {
        boolean folding = Network.batchNormFolding();
        network.setInferenceOnly(true);
        double[][] times = new double[2][this.runs];
        float[][] outputs = new float[2][];
        try (NDManager scope = network.manager().newSubManager()) {
            NDArray images = comparisonInput(network, scope, hw);
            int total = 2 * (warmup + this.runs);
            for (int i = 0; i < total; i++) {
                int folded = i % 2 == 0 ? 0 : 1;
                Network.setBatchNormFolding(folded == 0);
                progress.show(String.format("folded vs separate at %dx%d: run %d of %d", hw[0], hw[1], i + 1, total));
                long start = System.nanoTime();
                NDArray out = network.predict(images);
                outputs[folded] = out.toType(DataType.FLOAT32, false).toFloatArray();
                out.close();
                int timed = i / 2 - warmup;
                if (timed >= 0) {
                    times[folded][timed] = (System.nanoTime() - start) / 1e6;
                }
            }
        } finally {
            Network.setBatchNormFolding(folding);
        }
        double foldedMedian = TimingSummary.of(times[0]).median();
        double separateMedian = TimingSummary.of(times[1]).median();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("foldedMedianMs", foldedMedian);
        result.put("separateMedianMs", separateMedian);
        result.put("ratio", foldedMedian / separateMedian);
        result.put("folded", TimingSummary.of(times[0]));
        result.put("separate", TimingSummary.of(times[1]));
        result.putAll(difference(outputs[0], outputs[1]));
        return result;
    }

    /** The same random input for both sides of a comparison (seeded), in the network's type. */
    private NDArray comparisonInput(Network network, NDManager scope, int[] hw) {
        scope.getEngine().setRandomSeed(7);
        return scope.randomNormal(new Shape(batch, 3, hw[0], hw[1])).toType(network.dataType(), false);
    }

    /** How far output a is from the reference: relative L2 and max |difference|. */
    private static Map<String, Double> difference(float[] a, float[] reference) {
        double diff = 0;
        double norm = 0;
        double max = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - reference[j];
            diff += d * d;
            norm += (double) reference[j] * reference[j];
            max = Math.max(max, Math.abs(d));
        }
        return Map.of("relativeL2", Math.sqrt(diff / norm), "maxAbsDifference", max);
    }

    /** The model's output on one input with the whole attention map and with row blocks. */
    private Map<String, Double> leanAgainstPlain(Network network, int[] hw) {
        float[][] outputs = new float[2][];
        long[] budgets = {Long.MAX_VALUE, PositionAttention.DEFAULT_BLOCK_BYTES};
        for (int i = 0; i < 2; i++) {
            PositionAttention.setBlockBytes(budgets[i]);
            try (NDManager scope = network.manager().newSubManager()) {
                NDArray images = comparisonInput(network, scope, hw);
                outputs[i] = network.predict(images).toType(DataType.FLOAT32, false).toFloatArray();
            }
        }
        return difference(outputs[1], outputs[0]);
    }

    private ModelConfig config() {
        return parse(() -> new ModelConfig(ResNetDepth.parse(backbone), width, false, outputStride, multiGrid,
                HeadType.parse(head), aux, classes));
    }

    private static void print(String title, ModelBenchmark.Result r, int batch) {
        System.out.printf("%n%s (ms)%n%-22s %9s %9s %9s %9s %9s%n", title, "phase", "median", "min", "p25", "p75", "max");
        for (Map.Entry<String, TimingSummary> e : r.milliseconds().entrySet()) {
            TimingSummary s = e.getValue();
            System.out.printf("%-22s %9.1f %9.1f %9.1f %9.1f %9.1f%n", e.getKey(), s.median(), s.min(), s.p25(), s.p75(),
                    s.max());
        }
        TimingSummary total = r.milliseconds().get("total");
        System.out.printf("%.2f images/s; peak resident memory %s (%s before the runs)%n",
                batch * 1000.0 / total.median(), megabytes(r.peakResidentBytes()), megabytes(r.residentBeforeBytes()));
    }

    private static String megabytes(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.0f MB", bytes / 1e6);
    }

    private static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new DanetException(e.getMessage());
        }
    }

    /** One status line on stderr, rewritten in place. */
    private static final class ProgressLine implements AutoCloseable {
        private final boolean terminal = System.console() != null;

        void show(String text) {
            if (terminal) {
                System.err.print("\r" + text + "          ");
                System.err.flush();
            }
        }

        void clear() {
            if (terminal) {
                System.err.print("\r" + " ".repeat(40) + "\r");
                System.err.flush();
            }
        }

        @Override
        public void close() {
            clear();
        }
    }
}
