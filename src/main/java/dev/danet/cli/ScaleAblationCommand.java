package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.data.BadSamples;
import dev.danet.data.SegmentationDataset;
import dev.danet.eval.EvaluationResult;
import dev.danet.eval.Evaluator;
import dev.danet.eval.InferenceOptions;
import dev.danet.eval.ScaleWeightStats;
import dev.danet.eval.SegmentationInference;
import dev.danet.io.ModelLoader;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import dev.danet.nn.ScaleConfig;
import dev.danet.nn.ScaleFusion;
import dev.danet.train.Ablation;
import dev.danet.train.AblationReport;
import dev.danet.train.TrainConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Attention-to-Scale experiment: the same base network and budget trained single-scale
 * and wrapped with each fusion, several seeds each; then the results table, per-class IoU,
 * each scale's own mIoU and the classes' mean scale weights, in one report.
 */
@Command(name = "scale-ablation",
        mixinStandardHelpOptions = true,
        description = {
            "Compare single-scale, average, max and attention fusion over input scales (Attention to Scale).",
            "",
            "Trains each variant with the same recipe and seeds into --out/runs/<variant>-seed<N>/ (finished "
                    + "runs are reused, interrupted ones resumed), evaluates them on val and writes --out/results.md and "
                    + "results.json: mIoU per variant (mean and range over seeds), per-class IoU, each scale's own mIoU "
                    + "inside the multi-scale models, and the mean scale weight per class.",
            "",
            "Example: ./danet scale-ablation --data data/synth-96x192 --crop 96x192 \\",
            "           --seeds 1,2 --iterations 300"
        })
final class ScaleAblationCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--out", defaultValue = "out/scale-ablation", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--model", defaultValue = "fcn", description = "Base head: fcn, danet, pam, cam (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--backbone", defaultValue = "resnet18", description = "Backbone (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--width", defaultValue = "16", description = "Backbone width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--output-stride", defaultValue = "8", description = "8 or 16 (default: ${DEFAULT-VALUE}).")
    int outputStride;

    @Option(names = "--scales", defaultValue = "1,0.75,0.5", split = ",",
            description = "Input scales of the multi-scale variants (default: ${DEFAULT-VALUE}, as the paper).")
    List<Double> scales;

    @Option(names = "--fusions", defaultValue = "single,average,max,attention", split = ",",
            description = "Variants: single (the base network alone), average, max, attention (default: ${DEFAULT-VALUE}).")
    List<String> fusions;

    @Option(names = "--scale-loss-weights", defaultValue = "1", split = ",", paramLabel = "W[,W...]",
            description = "Extra supervision of each scale's map, the same for every fusion so that only the fusion"
                    + " differs (default: ${DEFAULT-VALUE}).")
    double[] scaleLossWeights;

    @Option(names = "--seeds", defaultValue = "1,2", split = ",", description = "Seeds per variant (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--iterations", defaultValue = "300", description = "Training steps per run (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--batch", defaultValue = "8", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--crop", defaultValue = "128x256", paramLabel = "HxW",
            description = "Training crop; its short side is also the base size (default: ${DEFAULT-VALUE}).")
    String crop;

    @Option(names = "--scale-range", defaultValue = "0.75,1.25", split = ",",
            description = "Random scale augmentation (default: ${DEFAULT-VALUE}, as the demo).")
    double[] scaleRange;

    @Option(names = "--size-shifts", defaultValue = "0.5,1.5", split = ",", paramLabel = "F,F,...",
            description = "Also evaluate with the val images resized by these factors, i.e. objects at sizes unlike"
                    + " training's (default: ${DEFAULT-VALUE}; none: empty).")
    List<Double> sizeShifts;

    @Option(names = "--lr", defaultValue = "0.01", description = "Base learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--clip-grad-norm", defaultValue = "5", description = "Gradient-norm clip (default: ${DEFAULT-VALUE}).")
    double clipGradNorm;

    @Option(names = "--head-init", defaultValue = TrainConfig.DEFAULT_HEAD_INIT_ID, paramLabel = "KIND",
            description = "How the heads' convolutions start: pytorch-default or kaiming-fan-out (the figures in"
                    + " docs/attention-to-scale.md were measured with kaiming-fan-out) (default: ${DEFAULT-VALUE}).")
    String headInit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintStream log = System.err;
        long start = System.nanoTime();
        BadSamples bad = data.badSamples();
        SegmentationDataset train = data.open("train", bad, log);
        SegmentationDataset val = SegmentationDataset.open(train.layoutId(), train.root(), "val", bad);
        int[] cropSize = Sizes.parseSquareOrRectangle(crop, "--crop");
        if (scaleRange.length != 2) {
            throw new DanetException("--scale-range takes two numbers, e.g. 0.75,1.25");
        }
        ModelConfig base = parse(() -> new ModelConfig(ResNetDepth.parse(backbone), width, false, outputStride, false,
                HeadType.parse(model), false, train.classes().size()));
        TrainConfig recipe = parse(() -> new TrainConfig(base, train.layoutId(), train.root().toString(), cropSize[0],
                cropSize[1], Math.min(cropSize[0], cropSize[1]), scaleRange[0], scaleRange[1], batch, iterations, lr,
                10, 0.9, 1e-4, 0.9, new double[] {1, 1, 1}, 0.4, seeds.get(0), 2, 100, 0, null, clipGradNorm)
                .withHeadInit(dev.danet.nn.HeadInit.parse(headInit)));
        List<Ablation.Variant> variants = new ArrayList<>();
        for (String name : fusions) {
            if (name.equalsIgnoreCase("single")) {
                variants.add(new Ablation.Variant("single", recipe));
            } else {
                ScaleFusion fusion = parse(() -> ScaleFusion.parse(name));
                ScaleConfig scaleConfig = parse(() -> new ScaleConfig(scales, fusion));
                variants.add(new Ablation.Variant(fusion.id(),
                        parse(() -> recipe.withModel(base.withScales(scaleConfig), scaleLossWeights))));
            }
        }
        List<Ablation.Entry> entries = Ablation.run(variants, seeds, out.resolve("runs"), bad, ExecutionFlags.of(spec),
                (name, config) -> new ProgressReporter(name));

        InferenceOptions whole = InferenceOptions.singleScale(1024);
        List<EvaluationResult> evaluations = new ArrayList<>();
        StringBuilder perScale = new StringBuilder("\n## Each scale's own map inside the multi-scale models\n\n"
                + "mIoU (classes present) of the fused map and of each scale's map f^s (resized to the input), "
                + "from the same trained network.\n\n| variant | seed | fused |");
        scales.forEach(s -> perScale.append(" f^").append(s).append(" |"));
        perScale.append("\n|---|---|---|").append("---|".repeat(scales.size())).append('\n');
        StringBuilder weights = new StringBuilder();
        StringBuilder shifted = new StringBuilder("\n## Objects at other sizes\n\nmIoU (classes present) with the val "
                + "images resized by each factor before inference (scores resized back); mean over seeds (min..max). "
                + "Training saw sizes x0.75..1.25.\n\n| variant | x1 |");
        sizeShifts.forEach(f -> shifted.append(" x").append(f).append(" |"));
        shifted.append("\n|---|---|").append("---|".repeat(sizeShifts.size())).append('\n');
        for (Ablation.Variant v : variants) {
            boolean first = true;
            double[][] shiftMiou = new double[sizeShifts.size() + 1][];
            for (Ablation.Entry e : entries.stream().filter(e -> e.name().equals(v.name())).toList()) {
                try (Network network = ModelLoader.load(e.model(), ModelLoader.Options.defaults().withExecution(ExecutionFlags.of(spec)), log).setInferenceOnly(true)) {
                    if (first) {
                        evaluations.add(Evaluator.of(network, whole).evaluate(val));
                    }
                    if (network.multiScale() != null) {
                        perScale.append(String.format("| %s | %d | %.4f |", v.name(), e.seed(),
                                e.validation().getOrDefault("mIoU_present", Double.NaN)));
                        for (int s = 0; s < scales.size(); s++) {
                            int output = 1 + s;
                            SegmentationInference single = new SegmentationInference(
                                    x -> network.forwardAll(x, false).get(output), whole);
                            double miou = new Evaluator(single, network.manager(), network.dataType()).evaluate(val)
                                    .metrics().summary().get("mIoU_present");
                            perScale.append(String.format(" %.4f |", miou));
                        }
                        perScale.append('\n');
                        if (first) {
                            weights.append("\n### ").append(v.name()).append(" (seed ").append(e.seed()).append(")\n\n")
                                    .append(ScaleWeightStats.of(network, val).markdown());
                        }
                    }
                    for (int f = 0; f < sizeShifts.size(); f++) {
                        InferenceOptions resized = InferenceOptions.of(new double[] {sizeShifts.get(f)}, false, 1024, 0);
                        double miou = Evaluator.of(network, resized).evaluate(val).metrics().summary().get("mIoU_present");
                        shiftMiou[1 + f] = append(shiftMiou[1 + f], miou);
                    }
                    shiftMiou[0] = append(shiftMiou[0], e.validation().getOrDefault("mIoU_present", Double.NaN));
                }
                first = false;
                log.println("evaluated " + e.name() + "-seed" + e.seed());
            }
            shifted.append("| ").append(v.name()).append(" |");
            for (double[] values : shiftMiou) {
                shifted.append(' ').append(spread(values)).append(" |");
            }
            shifted.append('\n');
        }
        String extra = String.format("%nMulti-scale variants: scales %s, extra supervision weight %s on each scale's map "
                + "(the same for every fusion).%n", scales, Arrays.toString(scaleLossWeights))
                + perScale + (sizeShifts.isEmpty() ? "" : shifted)
                + "\n## Mean scale weight per class (val, by the true class; first seed)\n\n"
                + "Attention: the softmax weights; max: how often each scale supplies the predicted class's score; "
                + "average: 1/S everywhere.\n" + weights;
        String table = AblationReport.write(out, "Attention to Scale on " + train.root(), recipe, entries,
                variants.stream().map(Ablation.Variant::name).toList(), evaluations, val.classes(), extra);
        System.out.println(table);
        System.out.printf("scale ablation finished in %.1f min; results in %s%n", (System.nanoTime() - start) / 6e10,
                out.toAbsolutePath());
        return 0;
    }

    private static double[] append(double[] values, double value) {
        double[] out = values == null ? new double[1] : Arrays.copyOf(values, values.length + 1);
        out[out.length - 1] = value;
        return out;
    }

    private static String spread(double[] values) {
        if (values == null) {
            return "";
        }
        double mean = Arrays.stream(values).average().orElse(Double.NaN);
        return values.length < 2 ? String.format("%.4f", mean) : String.format("%.4f (%.4f..%.4f)", mean,
                Arrays.stream(values).min().getAsDouble(), Arrays.stream(values).max().getAsDouble());
    }

    private static <T> T parse(java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new DanetException(e.getMessage());
        }
    }
}
