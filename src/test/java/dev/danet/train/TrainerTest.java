package dev.danet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.DanetException;
import dev.danet.data.BadSamples;
import dev.danet.io.ModelCheckpoint;
import dev.danet.io.TensorData;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.HeadType;
import dev.danet.nn.TrainingMemory;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.ResNetDepth;
import dev.danet.nn.ScaleConfig;
import dev.danet.nn.ScaleFusion;
import dev.danet.testing.TinyDatasets;
import dev.danet.viz.TrainingPlots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop end to end on a tiny dataset: learning, logs, checkpoints and exact resume. */
class TrainerTest {

    @TempDir
    Path dir;

    private Path data;

    @BeforeEach
    void makeData() {
        data = TinyDatasets.folder(dir.resolve("data"), 8, 2, 32);
    }

    private TrainConfig config(int iterations) {
        ModelConfig model = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.DANET, true, 3);
        return TrainConfig.builder().model(model).dataset("folder").dataRoot(data.toString()).crop(32, 32).baseSize(32)
                .scaleRange(0.75, 1.5).batchSize(2).iterations(iterations).baseLr(0.01).headLrMultiplier(10)
                .momentum(0.9).weightDecay(1e-4).power(0.9).lossWeights(new double[] {1, 1, 1}).auxWeight(0.4).seed(7)
                .workers(2).checkpointEvery(2).validateEvery(0).maxGradNorm(0).build();
    }

    /** The same tiny run with an FCN base wrapped for two scales with attention fusion. */
    private TrainConfig multiScaleConfig(int iterations) {
        ModelConfig model = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.FCN, false, 3)
                .withScales(new ScaleConfig(List.of(1.0, 0.5), ScaleFusion.ATTENTION));
        return config(iterations).toBuilder().model(model).build();
    }

    /** A listener that dies after the given step, as a killed process would. */
    private static TrainingListener crashAfter(int iteration) {
        return new TrainingListener() {
            @Override
            public void step(StepRecord record) {
                if (record.iteration() == iteration) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
    }

    @Test
    void aStopRequestCheckpointsTheStepJustTakenAndResumesFromIt() {
        Path straight = dir.resolve("straight");
        TrainingJob.run(config(6), straight, false, BadSamples.failFast(), new TrainingListener() { });
        Path stopped = dir.resolve("stopped");
        TrainingListener stopAfter3 = new TrainingListener() {
            private int steps;

            @Override
            public void step(StepRecord record) {
                steps = record.iteration();
            }

            @Override
            public boolean stopRequested() {
                return steps == 3;
            }
        };
        Trainer.Interrupted stop = assertThrows(Trainer.Interrupted.class,
                () -> TrainingJob.run(config(6), stopped, false, BadSamples.failFast(), stopAfter3));
        assertTrue(stop.getMessage().contains("after iteration 3 of 6"), stop.getMessage());
        assertEquals(3, ModelCheckpoint.readHeader(stopped.resolve(Trainer.LAST)).metadata().path("iteration").asInt(),
                "checkpointed at the stop, not at the last interval (2)");
        TrainingJob.run(Trainer.savedConfig(stopped), stopped, true, BadSamples.failFast(), new TrainingListener() { });
        Map<String, TensorData> a = ModelCheckpoint.readWeights(straight.resolve(Trainer.FINAL));
        Map<String, TensorData> b = ModelCheckpoint.readWeights(stopped.resolve(Trainer.FINAL));
        for (String key : a.keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(key).toFloats(), b.get(key).toFloats(), key);
        }
    }

    @Test
    void resumedRunEndsWithExactlyTheWeightsOfAnUninterruptedOne() {
        assertResumeIsExact(config(6), 5);
    }

    @Test
    void aResumedMultiScaleRunIsExactToo() {
        TrainConfig config = multiScaleConfig(4);
        assertResumeIsExact(config, 3);
        Map<String, TensorData> weights = ModelCheckpoint.readWeights(dir.resolve("straight").resolve(Trainer.FINAL));
        assertTrue(weights.containsKey("scale_attention.2.weight") && weights.containsKey("pretrained.conv1.weight"));
        assertEquals(config.model(), ModelCheckpoint.readHeader(dir.resolve("crashed").resolve(Trainer.FINAL)).config());
        List<JsonNode> log = new TrainingLog(dir.resolve("straight").resolve(Trainer.LOG), Integer.MAX_VALUE).entries();
        JsonNode step = log.stream().filter(e -> e.path("type").asText().equals("step")).findFirst().orElseThrow();
        assertEquals(3, step.path("output_losses").size(), "fused, then scale 1 and scale 0.5");
    }

    @Test
    void aResumedLeanRunIsExactToo() {
        // 32x32 crops: a 4x4 attention map of 2 x 16 x 16 floats, computed (and recomputed) in blocks of 2 rows
        ExecutionOptions lean = ExecutionOptions.DEFAULTS.withAttentionBlockBytes(2 * 2 * 16 * 4)
                .withTrainingMemory(TrainingMemory.LEAN);
        assertResumeIsExact(config(4), 3, lean);
    }

    /** Runs config straight, and again with a crash after step crashAt (checkpoints every 2 steps) and a resume. */
    private void assertResumeIsExact(TrainConfig config, int crashAt) {
        assertResumeIsExact(config, crashAt, ExecutionOptions.DEFAULTS);
    }

    private void assertResumeIsExact(TrainConfig config, int crashAt, ExecutionOptions execution) {
        Path straight = dir.resolve("straight");
        TrainingJob.run(config, execution, straight, false, BadSamples.failFast(), new TrainingListener() { });
        Path crashed = dir.resolve("crashed");
        assertThrows(IllegalStateException.class,
                () -> TrainingJob.run(config, execution, crashed, false, BadSamples.failFast(), crashAfter(crashAt)));
        assertTrue(Files.exists(crashed.resolve(Trainer.LAST)) && !Files.exists(crashed.resolve(Trainer.FINAL)));
        assertEquals(crashAt - 1, ModelCheckpoint.readHeader(crashed.resolve(Trainer.LAST)).metadata().path("iteration").asInt());
        TrainingJob.run(Trainer.savedConfig(crashed), execution, crashed, true, BadSamples.failFast(),
                new TrainingListener() { });

        Map<String, TensorData> a = ModelCheckpoint.readWeights(straight.resolve(Trainer.FINAL));
        Map<String, TensorData> b = ModelCheckpoint.readWeights(crashed.resolve(Trainer.FINAL));
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) {
            float[] x = a.get(key).toFloats();
            float[] y = b.get(key).toFloats();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], 0f, key + "[" + i + "]");
            }
        }
        List<JsonNode> log = new TrainingLog(crashed.resolve(Trainer.LOG), Integer.MAX_VALUE).entries();
        List<Integer> steps = log.stream().filter(e -> e.path("type").asText().equals("step"))
                .map(e -> e.path("iteration").asInt()).toList();
        assertEquals(java.util.stream.IntStream.rangeClosed(1, config.iterations()).boxed().toList(), steps,
                "the resumed log reads as one run");
    }

    @Test
    void aTrainingConfigurationFromBeforeTheScalesStillReads() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode node = json.valueToTree(config(3));
        node.remove("scaleLossWeights");
        ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("model")).remove("scales");
        TrainConfig read = Trainer.readConfig(dir.resolve("old.danet"), node);
        assertEquals(config(3).model(), read.model());
        assertEquals(null, read.lossWeights().scales());
        org.junit.jupiter.api.Assertions.assertArrayEquals(inOutputOrder(config(3)), inOutputOrder(read));
    }

    @Test
    void aConfigurationFromBeforeDiagnosticsAndHeadInitReadsAsItWasTrained() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode node = json.valueToTree(
                config(3).toBuilder().headInit(dev.danet.nn.HeadInit.PYTORCH_DEFAULT).build());
        assertEquals("pytorch-default", node.path("headInit").asText());
        assertEquals(TrainConfig.DEFAULT_DIAGNOSTICS_EVERY, node.path("diagnosticsEvery").asInt());
        assertEquals(dev.danet.nn.HeadInit.PYTORCH_DEFAULT, Trainer.readConfig(dir.resolve("new.danet"), node).headInit());
        node.remove("headInit");
        node.remove("diagnosticsEvery");
        TrainConfig read = Trainer.readConfig(dir.resolve("old.danet"), node);
        assertEquals(dev.danet.nn.HeadInit.KAIMING_FAN_OUT, read.headInit(), "what every run before the setting used");
        assertEquals(0, read.diagnosticsEvery());
    }

    @Test
    void lossWeightsFollowTheMultiScaleOutputOrder() {
        ModelConfig danet = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.DANET, true, 3);
        TrainConfig single = withModel(config(1), danet, null);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 1, 1, 0.4}, inOutputOrder(single));
        ScaleConfig paper = new ScaleConfig(List.of(1.0, 0.75, 0.5), ScaleFusion.ATTENTION);
        // fused, f^1, f^0.75, f^0.5, PAM, CAM (each fused over the scales), aux.
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 0.4},
                inOutputOrder(withModel(single, danet.withScales(paper), null)), "extra supervision on by default");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 0, 0, 0, 1, 1, 0.4},
                inOutputOrder(withModel(single, danet.withScales(new ScaleConfig(paper.scales(), ScaleFusion.MAX)), null)),
                "off by default for max and average");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 0.5, 0.25, 0, 1, 1, 0.4},
                inOutputOrder(withModel(single, danet.withScales(paper), new double[] {0.5, 0.25, 0})));
        assertThrows(IllegalArgumentException.class, () -> withModel(single, danet, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> withModel(single, danet.withScales(paper), new double[] {1, 1}));
    }

    private static TrainConfig withModel(TrainConfig config, ModelConfig model, double[] scaleLossWeights) {
        return config.toBuilder().model(model).scaleLossWeights(scaleLossWeights).build();
    }

    /** The loss weights in the order of the model's outputs (and named as the outputs are). */
    private static double[] inOutputOrder(TrainConfig config) {
        Map<String, Double> weights = config.lossWeights().byOutput(config.model());
        assertEquals(dev.danet.nn.SegmentationOutputs.names(config.model()), List.copyOf(weights.keySet()));
        return weights.values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void runValidatesAtTheEndAndWritesItsFiles() {
        Path out = dir.resolve("run");
        TrainingJob.Outcome outcome = TrainingJob.run(config(4), out, false, BadSamples.failFast(), new TrainingPlots());
        Map<String, Double> validation = outcome.result().validation();
        assertTrue(validation.get("mIoU") >= 0 && validation.get("mIoU") <= validation.get("mIoU_present"),
                validation.toString());
        assertTrue(validation.get("pixAcc") > 0, validation.toString());
        for (String file : new String[] {Trainer.FINAL, Trainer.LAST, Trainer.LOG, TrainingPlots.CURVES}) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        assertEquals(HeadType.DANET, ModelCheckpoint.readHeader(out.resolve(Trainer.FINAL)).config().head());
    }

    @Test
    void trainingLowersTheLossBelowWhatUniformScoresGiveOnAnEasyTask() {
        Path out = dir.resolve("learn");
        TrainingJob.run(config(60), out, false, BadSamples.failFast(), new TrainingListener() { });
        List<Double> losses = new TrainingLog(out.resolve(Trainer.LOG), Integer.MAX_VALUE).entries().stream()
                .filter(e -> e.path("type").asText().equals("step")).map(e -> e.path("loss").asDouble()).toList();
        // Uniform scores give ln 3 on each output: fused, PAM, CAM at weight 1 and aux at 0.4. (A
        // drop from the first steps would also reward an initialisation whose scores start far
        // from uniform and only have to come back: the Kaiming fan-out head did, 7.3 -> 3.3.)
        double uniform = 3.4 * Math.log(3);
        double last = losses.subList(50, 60).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        System.out.println("loss of the last 10 steps " + last + " against " + uniform + " for uniform scores");
        assertTrue(last < 0.9 * uniform, "loss " + last + " against " + uniform + " for uniform scores");
    }

    @Test
    void diagnosticsNameEachLossSplitTheGradientNormByModuleAndLeaveTrainingBitForBitAsItWas() {
        Path with = dir.resolve("with");
        Path without = dir.resolve("without");
        TrainingJob.run(config(4).toBuilder().diagnosticsEvery(2).build(), with, false, BadSamples.failFast(),
                new TrainingPlots());
        TrainingJob.run(config(4).toBuilder().diagnosticsEvery(0).build(), without, false, BadSamples.failFast(),
                new TrainingPlots());
        Map<String, TensorData> a = ModelCheckpoint.readWeights(with.resolve(Trainer.FINAL));
        Map<String, TensorData> b = ModelCheckpoint.readWeights(without.resolve(Trainer.FINAL));
        for (String key : a.keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(b.get(key).toFloats(), a.get(key).toFloats(), key);
        }
        assertTrue(Files.exists(with.resolve(TrainingPlots.DIAGNOSTICS)));
        assertTrue(!Files.exists(without.resolve(TrainingPlots.DIAGNOSTICS)));
        List<JsonNode> log = new TrainingLog(with.resolve(Trainer.LOG), Integer.MAX_VALUE).entries();
        assertTrue(new TrainingLog(without.resolve(Trainer.LOG), Integer.MAX_VALUE).entries().stream()
                .noneMatch(e -> e.path("type").asText().equals("diagnostics")));
        Map<Integer, JsonNode> steps = new java.util.HashMap<>();
        log.stream().filter(e -> e.path("type").asText().equals("step")).forEach(e -> steps.put(e.path("iteration").asInt(), e));
        List<JsonNode> lines = log.stream().filter(e -> e.path("reason").asText().equals("every")).toList();
        assertEquals(List.of(1, 2, 4), lines.stream().map(e -> e.path("iteration").asInt()).toList());
        for (JsonNode line : lines) {
            JsonNode step = steps.get(line.path("iteration").asInt());
            List<String> names = new java.util.ArrayList<>();
            line.path("losses").fieldNames().forEachRemaining(names::add);
            assertEquals(List.of("fused", "pam", "cam", "aux"), names);
            for (int i = 0; i < 4; i++) {
                assertEquals(step.path("output_losses").get(i).asDouble(), line.path("losses").get(names.get(i)).asDouble(),
                        0);
            }
            double norm = step.path("grad_norm").asDouble();
            assertEquals(norm, line.path("grad_norm").asDouble(), 0);
            for (String field : new String[] {"grad_norms", "grad_norm_parts"}) {
                double squares = 0;
                for (JsonNode v : line.path(field)) {
                    squares += v.asDouble() * v.asDouble();
                }
                assertEquals(norm, Math.sqrt(squares), 1e-9 * norm, field + " add up to the global norm");
            }
            assertEquals(1.0, line.path("clip_factor").asDouble(), 0, "no clip in this recipe");
            assertEquals(10 * line.path("lr").asDouble(), line.path("head_lr").asDouble(), 1e-15);
            JsonNode attention = line.path("attention");
            double rows = attention.path("pam_rows").asDouble();
            assertTrue(rows >= 1 && rows <= 8, "2 images x a 2x2 query grid, minus padding: " + rows);
            for (String measure : new String[] {"pam_same_class_mass", "pam_chance", "pam_row_max",
                    "pam_relative_entropy", "pam_self_weight", "cam_row_max", "cam_relative_entropy"}) {
                double v = attention.path(measure).asDouble(Double.NaN);
                assertTrue(v >= 0 && v <= 1 + 1e-6, measure + " = " + v);
            }
            assertTrue(attention.path("pam_energy_row_std").asDouble() > 0);
            assertTrue(line.path("seconds").asDouble() > 0, "the line says what it cost");
        }
        JsonNode first = lines.get(0);
        // PAM's and CAM's outputs enter scaled by gamma = 0 at the first step: nothing reaches the
        // projections before it, while the scalars themselves get a gradient.
        assertEquals(0, first.path("grad_norms").path("head.sa.query_key").asDouble(), 0);
        assertEquals(0, first.path("grad_norms").path("head.sa.value").asDouble(), 0);
        assertTrue(first.path("grad_norms").path("head.sa.gamma").asDouble() > 0);
        assertTrue(first.path("grad_norms").path("head.sc").asDouble() > 0);
        assertTrue(lines.get(2).path("grad_norms").path("head.sa.query_key").asDouble() > 0, "once gamma moved");
        for (String part : new String[] {"backbone", "pam", "cam", "classifiers", "aux"}) {
            assertTrue(first.path("grad_norm_parts").path(part).asDouble() > 0, part);
        }
        float gamma = a.get("head.sa.gamma").toFloats()[0];
        assertEquals(gamma, lines.get(2).path("scalars").path("head.sa.gamma").asDouble(), 0, "the scalars after the update");
        assertEquals(a.get("head.sc.gamma").toFloats()[0], lines.get(2).path("scalars").path("head.sc.gamma").asDouble(), 0);
    }

    @Test
    void aFreshRunStartsItsHeadAsConfigured() {
        Path reference = dir.resolve("reference");
        Path kaiming = dir.resolve("kaiming");
        TrainingJob.run(config(1).toBuilder().headInit(dev.danet.nn.HeadInit.PYTORCH_DEFAULT).build(), reference, false,
                BadSamples.failFast(), new TrainingListener() { });
        TrainingJob.run(config(1).toBuilder().headInit(dev.danet.nn.HeadInit.KAIMING_FAN_OUT).build(), kaiming, false,
                BadSamples.failFast(), new TrainingListener() { });
        // Width 4: PAM has 8 channels and one query channel. The first step leaves the query
        // projection as drawn but for weight decay (gamma is 0, so its gradient is 0).
        float[] q = ModelCheckpoint.readWeights(reference.resolve(Trainer.FINAL)).get("head.sa.query_conv.weight").toFloats();
        float[] k = ModelCheckpoint.readWeights(kaiming.resolve(Trainer.FINAL)).get("head.sa.query_conv.weight").toFloats();
        double bound = 1 / Math.sqrt(8);
        for (float v : q) {
            assertTrue(Math.abs(v) <= bound, v + " outside +-1/sqrt(fan-in)");
        }
        double rms = 0;
        for (float v : k) {
            rms += v * v / k.length;
        }
        assertTrue(Math.sqrt(rms) > 2 * bound, "Kaiming fan-out: std sqrt(2/1), got rms " + Math.sqrt(rms));
    }

    @Test
    void aSpikeIsANonFiniteNormOrTenTimesTheRecentMedian() {
        List<Double> recent = List.of(1.0, 2.0, 3.0, 2.5, 1.5);
        assertTrue(TrainingDiagnostics.isSpike(Double.POSITIVE_INFINITY, recent));
        assertTrue(TrainingDiagnostics.isSpike(Double.NaN, List.of()));
        assertTrue(TrainingDiagnostics.isSpike(20.5, recent));
        assertTrue(!TrainingDiagnostics.isSpike(19.9, recent), "median 2");
        assertTrue(!TrainingDiagnostics.isSpike(1e6, recent.subList(0, 4)), "too few to judge");
        assertEquals("pretrained.stem", TrainingDiagnostics.module("pretrained.bn1.weight"));
        assertEquals("pretrained.layer3", TrainingDiagnostics.module("pretrained.layer3.1.conv2.weight"));
        assertEquals("head.sa.query_key", TrainingDiagnostics.module("head.sa.key_conv.bias"));
        assertEquals("head.conv8", TrainingDiagnostics.module("head.conv8.1.weight"));
        assertEquals("auxlayer", TrainingDiagnostics.module("auxlayer.conv5.0.weight"));
        assertEquals("pam", TrainingDiagnostics.part("head.conv51.1.weight"));
        assertEquals("cam", TrainingDiagnostics.part("head.sc.gamma"));
        assertEquals("classifiers", TrainingDiagnostics.part("head.conv6.1.bias"));
        assertEquals("aux", TrainingDiagnostics.part("auxlayer.conv5.0.weight"));
    }

    @Test
    void anExistingRunIsNotOverwrittenAndAMissingOneCannotBeResumed() {
        Path out = dir.resolve("run");
        TrainingJob.run(config(2), out, false, BadSamples.failFast(), new TrainingListener() { });
        DanetException again = assertThrows(DanetException.class,
                () -> TrainingJob.run(config(2), out, false, BadSamples.failFast(), new TrainingListener() { }));
        assertTrue(again.getMessage().contains("already holds a training run"), again.getMessage());
        DanetException missing = assertThrows(DanetException.class, () -> Trainer.savedConfig(dir.resolve("none")));
        assertTrue(missing.getMessage().contains("nothing to resume"), missing.getMessage());
    }

    @Test
    void anAblationReusesAFinishedRunOnlyWhenItWasTrainedAsAsked() {
        Path out = dir.resolve("ablation");
        List<Ablation.Variant> variants = List.of(new Ablation.Variant("danet", config(2)));
        Ablation.run(variants, List.of(7L), out, BadSamples.failFast(), (name, c) -> new TrainingListener() { });
        List<Ablation.Entry> again = Ablation.run(variants, List.of(7L), out, BadSamples.failFast(),
                (name, c) -> new TrainingListener() { });
        assertEquals(1, again.size(), "the finished run is reused");
        List<Ablation.Variant> longer = List.of(new Ablation.Variant("danet", config(3)));
        DanetException e = assertThrows(DanetException.class, () -> Ablation.run(longer, List.of(7L), out,
                BadSamples.failFast(), (name, c) -> new TrainingListener() { }));
        assertTrue(e.getMessage().contains("2 iterations instead of 3") && e.getMessage().contains("use a new --out"),
                e.getMessage());
    }
}
