package dev.danet.onnxbench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.danet.bench.OutputDifference;
import dev.danet.io.ModelLoader;
import dev.danet.io.Npy;
import dev.danet.nn.ConvolutionAlgorithm;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.Network;
import dev.danet.process.ProcessMemory;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times one runtime on one input size and prints one JSON line: ./danet's network (the project's
 * own inference, read from the reference checkpoint) or ONNX Runtime (the same model exported to
 * ONNX), one process each so that peak resident memory is the runtime's own.
 *
 * <pre>
 * java -cp ... dev.danet.onnxbench.OnnxBench danet|danet-direct|onnxruntime MODEL HxW WARMUP RUNS THREADS [INPUT.npy OUTPUT.npy]
 * </pre>
 * With INPUT.npy the input is read from it (and the output written to OUTPUT.npy, to compare the
 * runtimes with PyTorch); otherwise it is seeded random normal values of the given size.
 * danet-direct is ours with --conv-algorithm direct.
 *
 * <pre>
 * java -cp ... dev.danet.onnxbench.OnnxBench alternate DANET.pth MODEL.onnx HxW WARMUP RUNS THREADS
 * </pre>
 * loads ours as shipped (Winograd for the head's wide 3x3 convolutions), ours with libtorch's own
 * convolutions (--conv-algorithm direct), ours with batch norms also folded into the convolutions
 * (as ONNX Runtime's graph optimisation does) and ONNX Runtime into one process and runs them in
 * turn, one run of each per round, so that a noisy machine slows all alike; prints one JSON line per runtime with
 * its median and its ratio to ONNX Runtime's (peak memory is not separable here).
 */
public final class OnnxBench {

    /** A runtime that maps a (1, 3, H, W) float32 input to its score map. */
    interface Runtime extends AutoCloseable {
        float[] run(float[] input, int height, int width) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("alternate")) {
            alternate(args);
            return;
        }
        String runtime = args[0];
        Path model = Path.of(args[1]);
        Plan plan = Plan.parse(args, 2);
        float[] input = args.length > 6 ? Npy.read(Path.of(args[6])).toFloats() : random(plan.height(), plan.width());
        long residentBefore;
        long residentLoaded;
        double[] milliseconds = new double[plan.runs()];
        float[] output = null;
        try (Runtime run = switch (runtime) {
            case "danet" -> new Danet(model, ExecutionOptions.DEFAULTS);
            case "danet-direct" -> new Danet(model,
                    ExecutionOptions.DEFAULTS.withConvolutionAlgorithm(ConvolutionAlgorithm.DIRECT));
            default -> new OnnxRuntime(model, plan.threads());
        }) {
            residentLoaded = ProcessMemory.residentBytes();
            for (int i = 0; i < plan.warmup(); i++) {
                run.run(input, plan.height(), plan.width());
            }
            System.gc();
            residentBefore = ProcessMemory.residentBytes();
            for (int i = 0; i < plan.runs(); i++) {
                long t0 = System.nanoTime();
                output = run.run(input, plan.height(), plan.width());
                milliseconds[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        if (args.length > 7) {
            long pixels = (long) plan.height() * plan.width();
            Npy.writeFloat32(Path.of(args[7]), output, new long[] {1, output.length / pixels, plan.height(), plan.width()});
        }
        double[] sorted = milliseconds.clone();
        Arrays.sort(sorted);
        double median = median(milliseconds);
        System.out.printf(Locale.ROOT, "{\"runtime\": \"%s\", \"height\": %d, \"width\": %d, \"median_ms\": %.1f, "
                + "\"min_ms\": %.1f, \"max_ms\": %.1f, \"runs\": %d, \"peak_bytes\": %d, \"resident_loaded_bytes\": %d, "
                + "\"resident_before_bytes\": %d}%n",
                runtime, plan.height(), plan.width(), median, sorted[0], sorted[sorted.length - 1], plan.runs(),
                ProcessMemory.peakBytes(), residentLoaded, residentBefore);
    }

    /** The arguments HxW WARMUP RUNS THREADS, from the given position on. */
    private record Plan(int height, int width, int warmup, int runs, int threads) {
        static Plan parse(String[] args, int from) {
            String[] hw = args[from].split("x");
            return new Plan(Integer.parseInt(hw[0]), Integer.parseInt(hw.length > 1 ? hw[1] : hw[0]),
                    Integer.parseInt(args[from + 1]), Integer.parseInt(args[from + 2]), Integer.parseInt(args[from + 3]));
        }
    }

    private static void alternate(String[] args) throws Exception {
        Path danetModel = Path.of(args[1]);
        Path onnxModel = Path.of(args[2]);
        Plan plan = Plan.parse(args, 3);
        float[] input = random(plan.height(), plan.width());
        String[] names = {"danet", "danet-direct", "danet-folded", "onnxruntime"};
        double[][] milliseconds = new double[names.length][plan.runs()];
        ExecutionOptions shipped = ExecutionOptions.DEFAULTS;
        try (Runtime danet = new Danet(danetModel, shipped);
                Runtime direct = new Danet(danetModel, shipped.withConvolutionAlgorithm(ConvolutionAlgorithm.DIRECT));
                Runtime folded = new Danet(danetModel, shipped.withFoldBatchNorms(true));
                Runtime onnx = new OnnxRuntime(onnxModel, plan.threads())) {
            Runtime[] runtimes = {danet, direct, folded, onnx};
            float[] first = null;
            for (int round = -plan.warmup(); round < plan.runs(); round++) {
                for (int r = 0; r < runtimes.length; r++) {
                    long t0 = System.nanoTime();
                    float[] out = runtimes[r].run(input, plan.height(), plan.width());
                    if (round == -plan.warmup()) {
                        if (r == 0) {
                            first = out;
                        }
                        System.err.printf(Locale.ROOT, "%s vs %s: relative L2 %.2e%n", names[r], names[0],
                                OutputDifference.of(out, first).relativeL2());
                    }
                    if (round >= 0) {
                        milliseconds[r][round] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
        }
        double anchor = median(milliseconds[names.length - 1]);
        for (int r = 0; r < names.length; r++) {
            double[] sorted = milliseconds[r].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "{\"runtime\": \"%s\", \"height\": %d, \"width\": %d, \"median_ms\": %.1f, "
                    + "\"min_ms\": %.1f, \"max_ms\": %.1f, \"runs\": %d, \"ratio_to_onnxruntime\": %.3f}%n",
                    names[r], plan.height(), plan.width(), median(milliseconds[r]), sorted[0], sorted[plan.runs() - 1], plan.runs(),
                    median(milliseconds[r]) / anchor);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static float[] random(int height, int width) {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[3 * height * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return x;
    }

    /**
     * The project's network, as ./danet segment runs it (inference only, the default options), or
     * with other options (./danet --conv-algorithm direct, --fold-batch-norm).
     */
    static final class Danet implements Runtime {
        private final Network network;

        Danet(Path model, ExecutionOptions execution) {
            ModelLoader.Options options = ModelLoader.Options.defaults().withExecution(execution);
            network = ModelLoader.load(model, options, System.err).setInferenceOnly(true);
        }

        @Override
        public float[] run(float[] input, int height, int width) {
            try (NDManager scope = network.manager().newSubManager()) {
                NDArray x = scope.create(input, new Shape(1, 3, height, width));
                return network.predict(x).toType(DataType.FLOAT32, false).toFloatArray();
            }
        }

        @Override
        public void close() {
            network.close();
        }
    }

    /** ONNX Runtime's CPU provider, all graph optimisations, the given intra-op threads. */
    static final class OnnxRuntime implements Runtime {
        private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
        private final OrtSession session;

        OnnxRuntime(Path model, int threads) throws OrtException {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            // ORT_OPT=none|basic|extended|all (default all: what a deployment would use)
            String level = System.getenv().getOrDefault("ORT_OPT", "all");
            options.setOptimizationLevel(switch (level) {
                case "none" -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                case "basic" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                case "extended" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                default -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            });
            String profile = System.getenv("ORT_PROFILE");
            if (profile != null) {
                options.enableProfiling(profile);
            }
            session = environment.createSession(model.toString(), options);
        }

        @Override
        public float[] run(float[] input, int height, int width) throws OrtException {
            try (OnnxTensor x = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input),
                    new long[] {1, 3, height, width});
                    OrtSession.Result result = session.run(Map.of("image", x))) {
                FloatBuffer scores = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] out = new float[scores.remaining()];
                scores.get(out);
                return out;
            }
        }

        @Override
        public void close() throws OrtException {
            session.close();
        }
    }
}
