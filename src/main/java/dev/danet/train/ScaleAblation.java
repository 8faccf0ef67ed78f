package dev.danet.train;

import dev.danet.DanetException;
import dev.danet.data.BadSamples;
import dev.danet.data.SegmentationDataset;
import dev.danet.eval.EvaluationResult;
import dev.danet.eval.Evaluator;
import dev.danet.eval.ScaleWeightStats;
import dev.danet.inference.InferenceOptions;
import dev.danet.inference.SegmentationInference;
import dev.danet.io.ModelLoader;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ScaleConfig;
import dev.danet.nn.ScaleFusion;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The Attention-to-Scale experiment (docs/attention-to-scale.md): one base network and budget
 * trained single-scale and wrapped with each fusion, several seeds each; then the results
 * table, per-class IoU, each scale's own mIoU, mIoU with the objects at other sizes and the
 * classes' mean scale weights, in one report (results.md, results.json).
 */
public final class ScaleAblation {

    /** The variant that trains the base network alone. */
    public static final String SINGLE = "single";

    private static final InferenceOptions WHOLE = InferenceOptions.singleScale(1024);

    /** The base network's configuration: the "single" variant, and the recipe the report states. */
    private final TrainConfig base;
    private final List<Double> scales;
    private final double[] extraSupervision;
    private final List<Ablation.Variant> variants = new ArrayList<>();

    /**
     * The variants of a multi-scale recipe: "single" (its base network, without per-scale
     * losses) and each fusion by its id (the recipe's scales and per-scale loss weights, so that
     * only the fusion differs).
     */
    public ScaleAblation(TrainConfig recipe, List<String> variantNames) {
        if (!recipe.model().multiScale()) {
            throw new DanetException("the scale ablation needs a multi-scale recipe (--scales), got "
                    + recipe.model().describe());
        }
        this.base = recipe.toBuilder().model(recipe.model().base()).scaleLossWeights(null).build();
        this.scales = recipe.model().scales().scales();
        for (String name : variantNames) {
            if (name.equalsIgnoreCase(SINGLE)) {
                variants.add(new Ablation.Variant(SINGLE, base));
            } else {
                ScaleFusion fusion = ScaleFusion.parse(name);
                ModelConfig model = recipe.model().withScales(new ScaleConfig(scales, fusion));
                variants.add(new Ablation.Variant(fusion.id(), recipe.toBuilder().model(model).build()));
            }
        }
        this.extraSupervision = recipe.lossWeights().scales();
    }

    /**
     * Trains (or reuses) each variant with each seed in outDir/runs, evaluates them on val (and
     * on val resized by each size shift), writes the report into outDir and returns its markdown.
     */
    public String run(List<Long> seeds, List<Double> sizeShifts, Path outDir, SegmentationDataset val,
            BadSamples bad, ExecutionOptions execution, BiFunction<String, TrainConfig, TrainingListener> listeners,
            PrintStream log) {
        List<Ablation.Entry> entries = Ablation.run(variants, seeds, outDir.resolve("runs"), bad, execution, listeners);
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
                try (Network network = ModelLoader.load(e.model(), ModelLoader.Options.defaults().withExecution(execution), log)
                        .setInferenceOnly(true)) {
                    if (first) {
                        evaluations.add(Evaluator.of(network, WHOLE).evaluate(val));
                    }
                    if (network.multiScale() != null) {
                        perScale.append(String.format("| %s | %d | %.4f |", v.name(), e.seed(),
                                e.validation().getOrDefault("mIoU_present", Double.NaN)));
                        for (int s = 0; s < scales.size(); s++) {
                            perScale.append(String.format(" %.4f |", scaleMiou(network, s, val)));
                        }
                        perScale.append('\n');
                        if (first) {
                            weights.append("\n### ").append(v.name()).append(" (seed ").append(e.seed()).append(")\n\n")
                                    .append(ScaleWeightStats.of(network, val).markdown());
                        }
                    }
                    for (int f = 0; f < sizeShifts.size(); f++) {
                        InferenceOptions resized = InferenceOptions.of(new double[] {sizeShifts.get(f)}, false, 1024, 0);
                        shiftMiou[1 + f] = append(shiftMiou[1 + f], miou(Evaluator.of(network, resized), val));
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
                + "(the same for every fusion).%n", scales, extraSupervision == null
                        ? "1 for attention, 0 for average and max" : Arrays.toString(extraSupervision))
                + perScale + (sizeShifts.isEmpty() ? "" : shifted)
                + "\n## Mean scale weight per class (val, by the true class; first seed)\n\n"
                + "Attention: the softmax weights; max: how often each scale supplies the predicted class's score; "
                + "average: 1/S everywhere.\n" + weights;
        return AblationReport.write(outDir, "Attention to Scale on " + base.dataRoot(), base, entries,
                variants.stream().map(Ablation.Variant::name).toList(), evaluations, val.classes(), extra);
    }

    /** mIoU (classes present) of one scale's own map inside a multi-scale network. */
    private static double scaleMiou(Network network, int scale, SegmentationDataset val) {
        SegmentationInference single = new SegmentationInference(
                x -> network.forwardAll(x, false).scales().get(scale), WHOLE);
        return miou(new Evaluator(single, network.manager(), network.dataType()), val);
    }

    private static double miou(Evaluator evaluator, SegmentationDataset val) {
        return evaluator.evaluate(val).metrics().summary().get("mIoU_present");
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
}
