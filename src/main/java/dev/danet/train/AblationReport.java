package dev.danet.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.danet.data.ClassSet;
import dev.danet.eval.EvaluationResult;
import dev.danet.eval.SegmentationMetrics;
import dev.danet.AtomicFiles;
import dev.danet.nn.HeadType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The ablation's results table (results.md) and its data (results.json). */
public final class AblationReport {

    private AblationReport() {}

    /**
     * Writes both files into dir and returns the markdown. evaluations holds one full
     * evaluation per head (its first seed), in the order of heads, for the per-class table.
     */
    public static String write(Path dir, TrainConfig recipe, List<Ablation.Entry> entries, List<HeadType> heads,
            List<EvaluationResult> evaluations, ClassSet classes) {
        return write(dir, "Ablation on the synthetic scenes", recipe, entries,
                heads.stream().map(HeadType::id).toList(), evaluations, classes, "");
    }

    /**
     * The same for any named variants, with a title and extra markdown (further tables) appended
     * before the files are written.
     */
    public static String write(Path dir, String title, TrainConfig recipe, List<Ablation.Entry> entries,
            List<String> heads, List<EvaluationResult> evaluations, ClassSet classes, String extra) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append(String.format("Recipe (the same for every model): %s at width %d, output stride %d, crop %dx%d, batch %d, "
                        + "%d iterations, base lr %s (head x%s), poly %s, SGD momentum %s, weight decay %s, "
                        + "gradient-norm clip %s. "
                        + "Validation: the val split, single scale, whole images.%n%n",
                recipe.model().backbone().id(), recipe.model().width(), recipe.model().outputStride(), recipe.cropHeight(), recipe.cropWidth(),
                recipe.batchSize(), recipe.iterations(), recipe.baseLr(), recipe.headLrMultiplier(), recipe.power(),
                recipe.momentum(), recipe.weightDecay(), recipe.maxGradNorm() > 0 ? recipe.maxGradNorm() : "off"));
        md.append("| model | seeds | mIoU, classes present | mIoU, all ").append(classes.size())
                .append(" classes | pixAcc | minutes per run |\n|---|---|---|---|---|---|\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String head : heads) {
            List<Ablation.Entry> runs = entries.stream().filter(e -> e.name().equals(head)).toList();
            md.append(String.format("| %s | %s | %s | %s | %s | %.1f |%n", head,
                    runs.stream().map(e -> String.valueOf(e.seed())).toList(),
                    spread(runs, e -> e.validation().getOrDefault("mIoU_present", Double.NaN)),
                    spread(runs, e -> e.validation().getOrDefault("mIoU", Double.NaN)),
                    spread(runs, e -> e.validation().getOrDefault("pixAcc", Double.NaN)),
                    runs.stream().mapToDouble(Ablation.Entry::minutes).average().orElse(Double.NaN)));
            for (Ablation.Entry e : runs) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("model", head);
                row.put("seed", e.seed());
                row.put("checkpoint", e.model().toString());
                row.put("validation", e.validation());
                row.put("minutes", e.minutes());
                rows.add(row);
            }
        }
        md.append("\nValues are the mean over seeds, with min..max when there are several.\n");
        md.append("\n## Per-class IoU (first seed of each model; classes present in val)\n\n| class |");
        heads.forEach(h -> md.append(' ').append(h).append(" |"));
        md.append("\n|---|").append("---|".repeat(heads.size())).append('\n');
        List<SegmentationMetrics> metrics = evaluations.stream().map(EvaluationResult::metrics).toList();
        for (int c = 0; c < classes.size(); c++) {
            int index = c;
            if (metrics.stream().noneMatch(m -> m.perClass().get(index).truthPixels() > 0)) {
                continue;
            }
            md.append("| ").append(classes.names().get(c)).append(" |");
            for (SegmentationMetrics m : metrics) {
                md.append(String.format(" %.3f |", m.perClass().get(c).iou()));
            }
            md.append('\n');
        }
        md.append(extra);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("recipe", recipe);
        json.put("runs", rows);
        String text = md.toString();
        AtomicFiles.write(dir.resolve("results.md"), out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(dir.resolve("results.json"), out -> out.write(new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json)));
        return text;
    }

    private static String spread(List<Ablation.Entry> runs, ToDoubleFunction<Ablation.Entry> value) {
        double[] v = runs.stream().mapToDouble(value).toArray();
        double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        if (v.length < 2) {
            return String.format("%.4f", mean);
        }
        return String.format("%.4f (%.4f..%.4f)", mean, java.util.Arrays.stream(v).min().getAsDouble(),
                java.util.Arrays.stream(v).max().getAsDouble());
    }
}
