package dev.danet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.data.Batch;
import dev.danet.io.ModelLoader;
import dev.danet.io.Npy;
import dev.danet.io.torch.PthReader;
import dev.danet.io.StateDictLoader;
import dev.danet.io.TensorData;
import dev.danet.io.torch.PthReader;
import dev.danet.nn.Dropout2d;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.TrainingMemory;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.PositionAttention;
import dev.danet.nn.ResNetDepth;
import dev.danet.nn.ScaleConfig;
import dev.danet.nn.ScaleFusion;
import dev.danet.nn.SegmentationOutputs;
import dev.danet.testing.Fixtures;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three training steps of the project's own step code ({@link Trainer#step}: loss over every
 * output, backward, gradient clip, SGD with momentum, weight decay and the head multiplier, poly
 * schedule) against PyTorch's, from the same initial weights read through the import path and
 * with the same dropout masks (tools/make_train_fixtures.py writes the fixtures). Compared, each
 * as a relative L2 error against PyTorch's float64 run: every parameter's gradient at step 1,
 * each loss term and the total at every step, every parameter and batch-norm running statistic
 * after steps 1 and 3, and (float64) the change of each from its initial value. Float64 must
 * agree to 1e-10; float32 to 1e-5, or for a quantity where PyTorch's own float32 run is further
 * than that from float64, to three times PyTorch's own error (ill-conditioned gradients: the
 * figures are printed and in docs/training.md).
 */
class TrainingStepParityTest {

    private static final Path ROOT = Fixtures.ROOT.resolve("train");
    private static final double FLOAT64_TOLERANCE = 1e-10;
    private static final double FLOAT32_TOLERANCE = 1e-5;
    private static final double FLOAT32_TORCH_FACTOR = 3;
    private static final int STEPS = 3;
    /** The blocked run: query rows per attention block in float32 (half as many in float64). */
    private static final int BLOCK_ROWS_FLOAT32 = 12;

    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        for (String name : List.of("danet_r18_w4_aux", "pam_r18_w4", "cam_r18_w2", "fcn_r18_w2",
                "fcn_r18_w2_aux_deepstem", "scales_cam_r18_w2_aux")) {
            for (DataType type : List.of(DataType.FLOAT64, DataType.FLOAT32)) {
                runs.add(Arguments.of(name, type, false));
            }
        }
        runs.add(Arguments.of("pam_r18_w4", DataType.FLOAT64, true));
        runs.add(Arguments.of("pam_r18_w4", DataType.FLOAT32, true));
        return runs.stream();
    }

    /**
     * The lean training settings against the same fixtures: the same gradients and updates. Lean
     * attention acts on a map computed in blocks, so the PAM runs are blocked.
     */
    static Stream<Arguments> leanRuns() {
        List<Arguments> runs = new ArrayList<>();
        for (DataType type : List.of(DataType.FLOAT64, DataType.FLOAT32)) {
            for (TrainingMemory memory : List.of(TrainingMemory.LEAN_ATTENTION, TrainingMemory.LEAN)) {
                runs.add(Arguments.of("danet_r18_w4_aux", type, true, memory.id()));
                runs.add(Arguments.of("pam_r18_w4", type, true, memory.id()));
            }
            runs.add(Arguments.of("scales_cam_r18_w2_aux", type, false, TrainingMemory.LEAN.id()));
        }
        runs.add(Arguments.of("fcn_r18_w2_aux_deepstem", DataType.FLOAT64, false, TrainingMemory.LEAN.id()));
        return runs.stream();
    }

    @ParameterizedTest(name = "{0} {1} blocked={2}")
    @MethodSource("runs")
    void threeTrainingStepsMatchPyTorch(String name, DataType type, boolean blocked) {
        threeSteps(name, type, blocked, TrainingMemory.PLAIN);
    }

    @ParameterizedTest(name = "{0} {1} blocked={2} {3}")
    @MethodSource("leanRuns")
    void leanTrainingStepsMatchPyTorch(String name, DataType type, boolean blocked, String memory) {
        threeSteps(name, type, blocked, TrainingMemory.parse(memory));
    }

    private void threeSteps(String name, DataType type, boolean blocked, TrainingMemory memory) {
        Path fixture = ROOT.resolve(name);
        JsonNode config = Fixtures.config(fixture);
        ModelConfig model = modelConfig(config);
        TrainConfig train = trainConfig(config, model);
        assertArrayEquals(doubles(config.get("output_loss_weights")),
                train.lossWeights().byOutput(model).values().stream().mapToDouble(Double::doubleValue).toArray(), 0,
                "each output's loss weight (the aux term's 0.4 included)");
        assertEquals(SegmentationOutputs.names(model), List.copyOf(train.lossWeights().byOutput(model).keySet()),
                "in the order of the outputs");
        Batch batch = batch(fixture, config);
        Errors errors = new Errors(name + " " + type + (blocked ? " blocked" : "")
                + (memory.defersBackward() ? " " + memory.id() : ""), type, config);
        try (Network network = load(fixture, model, type)) {
            ExecutionOptions execution = network.options().withTrainingMemory(memory);

            if (blocked) {
                long positions = config.get("pam_positions").asLong();
                execution = execution.withAttentionBlockBytes(batch.size() * positions * 4 * BLOCK_ROWS_FLOAT32);
                int rows = PositionAttention.rowsPerBlock(batch.size(), positions, type,
                        execution.attentionBlockBytes());
                assertTrue(rows < positions, "the blocked run must compute PAM in blocks: " + rows + " rows of "
                        + positions);
            }
            Map<String, double[]> initial = values(network, false);
            Map<String, double[]> gradients = new LinkedHashMap<>();
            assertEquals(new TreeSet<>(names(config.get("parameters"))), new TreeSet<>(trainable(network).keySet()),
                    "the Java model must train exactly PyTorch's parameters");
            Trainer.Optimisation steps = Trainer.Optimisation.of(network, train);
            for (int iteration = 0; iteration < STEPS; iteration++) {
                ReplayedMasks masks = new ReplayedMasks(fixture, config, iteration);
                boolean first = iteration == 0;
                StepRecord record;
                try (Network replaying = network.withOptions(execution.withDropoutMasks(masks))) {
                    record = Trainer.step(replaying, steps, batch, iteration, 0,
                            n -> {
                                if (first) {
                                    gradients.putAll(values(n, true));
                                }
                            });
                }
                masks.assertAllUsed();
                JsonNode expected = config.get("steps").get(iteration);
                assertEquals(expected.get("lr").asDouble(), record.lr(), 1e-15 * record.lr(), "lr");
                errors.losses(iteration, record, expected);
                if (iteration == 0) {
                    errors.gradients(gradients, read(fixture.resolve("grads_step1.npy"), config.get("parameters")));
                }
                if (iteration == 0 || iteration == STEPS - 1) {
                    int step = iteration + 1;
                    Map<String, double[]> expectedState = read(fixture.resolve("state_step" + step + ".npy"),
                            config.get("parameters"), config.get("buffers"));
                    errors.state(step, values(network, false), expectedState, initial);
                }
            }
        }
        errors.report();
    }

    private static ModelConfig modelConfig(JsonNode c) {
        ModelConfig model = new ModelConfig(ResNetDepth.parse(c.get("backbone").asText()), c.get("width").asInt(),
                c.get("deep_stem").asBoolean(), c.get("output_stride").asInt(), c.get("multi_grid").asBoolean(),
                HeadType.parse(c.get("head").asText()), c.get("aux").asBoolean(), c.get("classes").asInt());
        if (c.has("scales")) {
            List<Double> scales = new ArrayList<>();
            c.get("scales").forEach(s -> scales.add(s.asDouble()));
            model = model.withScales(new ScaleConfig(scales, ScaleFusion.parse(c.get("fusion").asText())));
        }
        return model;
    }

    private static TrainConfig trainConfig(JsonNode c, ModelConfig model) {
        JsonNode r = c.get("recipe");
        JsonNode shape = c.get("input_shape");
        int height = shape.get(2).asInt();
        int width = shape.get(3).asInt();
        JsonNode scaleWeights = c.get("scale_loss_weights");
        return TrainConfig.builder().model(model).dataset("folder").dataRoot("unused").crop(height, width)
                .baseSize(height).scaleRange(1, 1).batchSize(shape.get(0).asInt()).iterations(r.get("iterations").asInt())
                .baseLr(r.get("base_lr").asDouble()).headLrMultiplier(r.get("head_lr_multiplier").asDouble())
                .momentum(r.get("momentum").asDouble()).weightDecay(r.get("weight_decay").asDouble())
                .power(r.get("power").asDouble()).lossWeights(doubles(r.get("loss_weights")))
                .auxWeight(r.get("aux_weight").asDouble()).seed(1).workers(1).checkpointEvery(1000).validateEvery(0)
                .maxGradNorm(r.get("max_grad_norm").asDouble())
                .scaleLossWeights(scaleWeights == null || scaleWeights.isNull() ? null : doubles(scaleWeights)).build();
    }

    /**
     * The initial weights through the import path: a reference .pth read by ModelLoader (which
     * infers the architecture from the keys); for the multi-scale wrapper, whose scales leave no
     * trace in the keys, the state dict copied into the configured network as --backbone-init
     * and --resume do.
     */
    private static Network load(Path fixture, ModelConfig model, DataType type) {
        Path pth = fixture.resolve("model.pth");
        if (model.multiScale()) {
            Network network = Network.create(model, null, type);
            StateDictLoader.load(network, PthReader.readStateDict(pth), StateDictLoader.Scope.MODEL, true,
                    pth.toString());
            return network;
        }
        ModelLoader.Options options = ModelLoader.Options.defaults().withDataType(type)
                .withOutputStride(model.outputStride(), model.multiGrid());
        Network network = ModelLoader.load(pth, options, new PrintStream(PrintStream.nullOutputStream()));
        assertEquals(model, network.config(), "the import must infer the fixture's model");
        return network;
    }

    private static Batch batch(Path fixture, JsonNode config) {
        JsonNode shape = config.get("input_shape");
        int size = shape.get(0).asInt();
        float[] images = Npy.read(fixture.resolve("input.npy")).toFloats();
        long[] labels = Npy.read(fixture.resolve("labels.npy")).toLongs();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ids.add("sample" + i);
        }
        return new Batch(ids, shape.get(2).asInt(), shape.get(3).asInt(), images,
                Arrays.stream(labels).mapToInt(Math::toIntExact).toArray());
    }

    private static Map<String, Parameter> trainable(Network network) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        network.parameters().forEach((n, p) -> {
            if (p.requiresGradient()) {
                out.put(n, p);
            }
        });
        return out;
    }

    /** Every parameter and running statistic (or, with gradients, every trainable parameter's gradient) in float64. */
    private static Map<String, double[]> values(Network network, boolean gradients) {
        Map<String, double[]> out = new LinkedHashMap<>();
        network.parameters().forEach((n, p) -> {
            NDArray array = p.getArray();
            if (gradients && p.requiresGradient()) {
                out.put(n, array.getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
            } else if (!gradients) {
                out.put(n, array.toType(DataType.FLOAT64, false).toDoubleArray());
            }
        });
        return out;
    }

    /** A flat float64 fixture cut into named tensors, in the order the layouts list them. */
    private static Map<String, double[]> read(Path file, JsonNode... layouts) {
        double[] all = Npy.read(file).toDoubles();
        Map<String, double[]> out = new LinkedHashMap<>();
        int offset = 0;
        for (JsonNode layout : layouts) {
            for (JsonNode entry : layout) {
                int n = 1;
                for (JsonNode d : entry.get("shape")) {
                    n *= d.asInt();
                }
                out.put(entry.get("name").asText(), Arrays.copyOfRange(all, offset, offset + n));
                offset += n;
            }
        }
        assertEquals(all.length, offset, file + ": the layout must cover the whole file");
        return out;
    }

    private static List<String> names(JsonNode layout) {
        List<String> out = new ArrayList<>();
        layout.forEach(e -> out.add(e.get("name").asText()));
        return out;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static double relativeL2(double[] actual, double[] expected, double scale) {
        assertEquals(expected.length, actual.length, "sizes");
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
        }
        return Math.sqrt(diff) / scale;
    }

    static double norm(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    /** PyTorch's keep masks for one step, handed out in call order; shapes must match. */
    private static final class ReplayedMasks implements Dropout2d.MaskSource {
        private final double[] values;
        private final JsonNode shapes;
        private int call;
        private int offset;

        ReplayedMasks(Path fixture, JsonNode config, int iteration) {
            values = Npy.read(fixture.resolve("dropout_step" + (iteration + 1) + ".npy")).toDoubles();
            shapes = config.get("dropout").get("shapes").get(iteration);
        }

        @Override
        public NDArray keep(NDManager manager, Shape shape) {
            assertTrue(call < shapes.size(), "Java runs more Dropout2d layers than PyTorch did (" + shapes.size() + ")");
            long[] expected = new long[shapes.get(call).size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = shapes.get(call).get(i).asLong();
            }
            assertArrayEquals(expected, shape.getShape(), "dropout call " + call + " (the layers must run in PyTorch's order)");
            int n = Math.toIntExact(shape.size());
            double[] mask = Arrays.copyOfRange(values, offset, offset + n);
            offset += n;
            call++;
            return manager.create(mask, shape);
        }

        void assertAllUsed() {
            assertEquals(shapes.size(), call, "Dropout2d calls in one step");
            assertEquals(values.length, offset);
        }
    }

    /** Collects each compared quantity's error against its bound; reports the largest per kind. */
    private static final class Errors {
        private final String run;
        private final boolean float64;
        private final JsonNode torch32;
        private final List<String> zeroGradients = new ArrayList<>();
        private final Map<String, Double> largest = new LinkedHashMap<>();
        private final List<String> failures = new ArrayList<>();
        private int compared;
        private int beyondPlainTolerance;
        private double worstTorchRatio;

        Errors(String run, DataType type, JsonNode config) {
            this.run = run;
            this.float64 = type == DataType.FLOAT64;
            this.torch32 = config.get("torch_float32_vs_float64");
            config.get("zero_gradients").forEach(n -> zeroGradients.add(n.asText()));
        }

        /** Checks one error; torchError is PyTorch's own float32 error for it (float32 runs only). */
        void check(String kind, String what, double error, double torchError) {
            compared++;
            largest.merge(kind, error, Math::max);
            double bound = float64 ? FLOAT64_TOLERANCE : Math.max(FLOAT32_TOLERANCE, FLOAT32_TORCH_FACTOR * torchError);
            if (!float64 && error > FLOAT32_TOLERANCE) {
                beyondPlainTolerance++;
                worstTorchRatio = Math.max(worstTorchRatio, error / torchError);
            }
            if (!(error <= bound)) {
                failures.add(String.format("%s %s: %.3e (bound %.1e%s)", kind, what, error, bound,
                        float64 ? "" : String.format(", torch float32 %.2e", torchError)));
            }
        }

        void losses(int iteration, StepRecord record, JsonNode expected) {
            JsonNode terms = expected.get("terms");
            List<Double> losses = List.copyOf(record.outputLosses().values());
            assertEquals(terms.size(), losses.size(), "loss terms");
            JsonNode torch = torch32.get("losses").get(iteration);
            for (int i = 0; i < terms.size(); i++) {
                double want = terms.get(i).asDouble();
                check("loss", "step " + (iteration + 1) + " term " + i,
                        Math.abs(losses.get(i) - want) / Math.abs(want), torch.get(i).asDouble());
            }
            double total = expected.get("total").asDouble();
            check("loss", "step " + (iteration + 1) + " total", Math.abs(record.loss() - total) / Math.abs(total),
                    torch.get(terms.size()).asDouble());
            double norm = expected.get("grad_norm").asDouble();
            check("grad norm", "step " + (iteration + 1), Math.abs(record.gradNorm() - norm) / norm,
                    torch32.get("grad_norms").get(iteration).asDouble());
        }

        void gradients(Map<String, double[]> actual, Map<String, double[]> expected) {
            double whole = 0;
            for (double[] g : expected.values()) {
                whole += Math.pow(norm(g), 2);
            }
            whole = Math.sqrt(whole);
            double wholeError = 0;
            for (Map.Entry<String, double[]> e : expected.entrySet()) {
                wholeError += Math.pow(relativeL2(actual.get(e.getKey()), e.getValue(), 1), 2);
            }
            check("whole gradient", "all parameters", Math.sqrt(wholeError) / whole,
                    torch32.get("whole_gradient").asDouble());
            for (Map.Entry<String, double[]> e : expected.entrySet()) {
                String name = e.getKey();
                double[] want = e.getValue();
                // A gradient that is zero in exact arithmetic is round-off on both sides: measured
                // against the whole gradient's norm.
                double scale = zeroGradients.contains(name) ? whole : norm(want);
                check("gradient", name, relativeL2(actual.get(name), want, scale),
                        torch32.get("grads").get(name).asDouble());
            }
        }

        void state(int step, Map<String, double[]> actual, Map<String, double[]> expected,
                Map<String, double[]> initial) {
            assertEquals(expected.keySet(), actual.keySet(), "parameters and running statistics");
            JsonNode torch = torch32.get("state_step" + step);
            for (Map.Entry<String, double[]> e : expected.entrySet()) {
                String name = e.getKey();
                boolean statistic = name.endsWith("running_mean") || name.endsWith("running_var");
                String kind = (statistic ? "running stats" : "weights") + " step " + step;
                check(kind, name, relativeL2(actual.get(name), e.getValue(), norm(e.getValue())),
                        torch.get(name).asDouble());
                if (float64) {
                    // The change from the initial value: an error in the update itself, which the
                    // weights alone dilute by |update| / |weight|.
                    double[] start = initial.get(name);
                    double[] want = difference(e.getValue(), start);
                    check((statistic ? "stats update" : "weight update") + " step " + step, name,
                            relativeL2(difference(actual.get(name), start), want, norm(want)), 0);
                }
            }
        }

        private static double[] difference(double[] a, double[] b) {
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i] - b[i];
            }
            return out;
        }

        void report() {
            StringBuilder line = new StringBuilder(String.format("train parity %-38s", run));
            largest.forEach((kind, error) -> line.append(String.format(" | %s %.2e", kind, error)));
            line.append(String.format(" | max %.2e over %d", largest.values().stream().mapToDouble(d -> d).max()
                    .orElse(0), compared));
            if (!float64) {
                line.append(String.format(" | beyond 1e-5: %d (worst %.2fx torch's own float32 error)",
                        beyondPlainTolerance, worstTorchRatio));
            }
            System.out.println(line);
            assertTrue(failures.isEmpty(), run + ": " + failures.size() + " of " + compared
                    + " comparisons beyond their bounds:\n  " + String.join("\n  ", failures));
        }
    }
}
