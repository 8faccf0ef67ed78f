package dev.danet.cli;

import dev.danet.IoProblems;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.DanetException;
import dev.danet.data.SegmentationDataset;
import dev.danet.eval.AttentionRowStats;
import dev.danet.eval.AttentionStats;
import dev.danet.inference.LoadedModel;
import dev.danet.AtomicFiles;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What a model's position-attention rows mean, measured against the ground truth of a dataset split. */
@Command(name = "attention-stats",
        mixinStandardHelpOptions = true,
        description = {
            "Measure what DANet's position-attention rows mean on labelled images.",
            "",
            "Each image is run whole; for a grid of query cells, each row of the PAM map is measured against "
                    + "the ground truth at the feature grid: the share of its weight on cells of the query's own class "
                    + "against that class's share of the cells (chance: what a uniform row puts there), the row's "
                    + "entropy (and relative to ln N: 1 uniform, 0 one cell), its largest weight and the weight on the "
                    + "query's own cell, and its overlap with the image's mean row (1: every query draws from the same "
                    + "cells). Prints means with spread and a per-class table; --json writes them all. Without "
                    + "--weights, the DANet that `./danet demo` trains; without --data, the synthetic scenes.",
            "",
            "Example: ./danet attention-stats --weights out/demo/runs/danet-seed1/model.danet \\",
            "           --images 10 --grid 2 --json out/attention-stats.json"
        })
final class AttentionStatsCommand implements Callable<Integer> {

    @Mixin
    TrainedModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--split", defaultValue = "val", description = "Split to measure on (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--images", defaultValue = "10", paramLabel = "N",
            description = "The split's first N images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--grid", defaultValue = "2", paramLabel = "G",
            description = "Query every G-th feature cell along each axis (default: ${DEFAULT-VALUE}; 1: every cell).")
    int grid;

    @Option(names = "--size", defaultValue = "512", paramLabel = "N",
            description = "Long side an image is shrunk to, if larger, for the pass (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure as JSON to FILE.")
    Path json;

    @Override
    public Integer call() {
        if (images < 1 || grid < 1 || size < 16) {
            throw new DanetException("--images and --grid must be at least 1 and --size at least 16");
        }
        SegmentationDataset dataset = data.open(split, data.badSamples(), System.err);
        try (LoadedModel loaded = LoadedModel.load(model.weightsFile(), model.toLoaderOptions(), System.err)) {
            if (!loaded.network().config().head().usesPositionAttention()) {
                throw new DanetException(loaded.weights() + ": the model has a " + loaded.network().config().head().id()
                        + " head, which has no position attention to measure; use a danet or pam model");
            }
            if (loaded.network().config().classes() != dataset.classes().size()) {
                throw new DanetException(loaded.weights() + ": the model has " + loaded.network().config().classes()
                        + " classes but " + dataset.root() + " has " + dataset.classes().size());
            }
            AttentionStats.Result result = AttentionStats.measure(loaded.network(), loaded.card().normalization(),
                    dataset, images, grid, size);
            System.out.print(table(result, loaded.weights().toString(), dataset));
            if (json != null) {
                writeJson(result, loaded.weights().toString(), dataset);
                System.out.println("wrote " + json);
            }
        }
        return 0;
    }

    static String table(AttentionStats.Result r, String weights, SegmentationDataset dataset) {
        AttentionRowStats.Summary s = r.summary();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "%s on %s/%s: %d rows (%d images; a query every %d cells along each axis of a %dx%d grid; %d cells per row)%n",
                weights,
                dataset.root(), dataset.split(), s.rows(), r.images(), r.step(), r.gridWidth(), r.gridHeight(),
                s.cells()));
        String row = "%-30s %8s %8s %8s %8s %8s%n";
        out.append(String.format(Locale.ROOT, row, "per row", "mean", "std", "p10", "median", "p90"));
        line(out, row, "same-class mass", s.sameClassMass());
        line(out, row, "chance (class share of cells)", s.chance());
        line(out, row, "mass - chance", s.excess());
        line(out, row, "entropy (nats)", s.entropy());
        line(out, row, "entropy / ln N", s.relativeEntropy());
        line(out, row, "largest weight", s.maxWeight());
        line(out, row, "weight on the query's own cell", s.selfWeight());
        line(out, row, "overlap with the mean row", s.sharedWithMean());
        out.append(String.format(Locale.ROOT, "rows above chance: %.1f%%; one-hot rows (largest weight >= %.1f): %.1f%%%n",
                100 * s.aboveChance(), AttentionRowStats.ONE_HOT, 100 * s.oneHot()));
        out.append(String.format(Locale.ROOT, "%-20s %6s %10s %8s  %s%n", "query class", "rows", "same-class", "chance",
                "most above its share among the other classes (mass / share)"));
        for (AttentionRowStats.ClassRows c : s.perClass()) {
            AttentionRowStats.TargetClass most = c.mostOverChance();
            out.append(String.format(Locale.ROOT, "%-20s %6d %10.3f %8.3f  %s%n", c.name(), c.rows(), c.sameClassMass(),
                    c.chance(), most == null ? "-" : String.format(Locale.ROOT, "%s %.3f / %.3f = %.2f", most.name(),
                            most.mass(), most.share(), most.ratio())));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String row, String name, AttentionRowStats.Spread s) {
        out.append(String.format(Locale.ROOT, row, name, f(s.mean()), f(s.std()), f(s.p10()), f(s.median()),
                f(s.p90())));
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private void writeJson(AttentionStats.Result result, String weights, SegmentationDataset dataset) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("weights", weights);
        root.put("data", dataset.root().toString());
        root.put("split", dataset.split());
        root.put("oneHotThreshold", AttentionRowStats.ONE_HOT);
        root.setAll((ObjectNode) mapper.valueToTree(result));
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new DanetException("cannot write " + json + ": " + IoProblems.reason(e), e);
        }
        AtomicFiles.write(json, o -> o.write(body));
    }
}
