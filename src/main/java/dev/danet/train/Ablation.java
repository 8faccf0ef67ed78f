package dev.danet.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.data.BadSamples;
import dev.danet.io.ModelCheckpoint;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.HeadType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The paper's ablation as a set of runs: the same recipe and budget for each head and seed,
 * each in its own folder. Finished runs are reused and interrupted ones resumed, so the whole
 * set can be re-run after a crash.
 */
public final class Ablation {

    /** One finished run of the variant called name. */
    public record Entry(String name, long seed, Path model, Map<String, Double> validation, double minutes) {}

    /** A model to compare: its name in tables and folders, and its training configuration (any seed). */
    public record Variant(String name, TrainConfig config) {}

    private Ablation() {}

    /** The template with each head in turn, named by the head (the paper's ablation). */
    public static List<Variant> heads(TrainConfig template, List<HeadType> heads) {
        return heads.stream().map(head -> new Variant(head.id(),
                template.toBuilder().model(template.model().withHead(head)).build())).toList();
    }

    /** {@link #run(List, List, Path, BadSamples, ExecutionOptions, BiFunction)} with the default execution options. */
    public static List<Entry> run(List<Variant> variants, List<Long> seeds, Path outDir, BadSamples bad,
            BiFunction<String, TrainConfig, TrainingListener> listeners) {
        return run(variants, seeds, outDir, bad, ExecutionOptions.DEFAULTS, listeners);
    }

    /**
     * Runs (or reuses) each variant with each seed, in outDir/NAME-seedN; listeners are made
     * per run name; each network runs with the given execution options.
     */
    public static List<Entry> run(List<Variant> variants, List<Long> seeds, Path outDir, BadSamples bad,
            ExecutionOptions execution, BiFunction<String, TrainConfig, TrainingListener> listeners) {
        List<Entry> entries = new ArrayList<>();
        for (Variant v : variants) {
            for (long seed : seeds) {
                TrainConfig config = v.config().toBuilder().seed(seed).build();
                String name = v.name() + "-seed" + seed;
                Path dir = outDir.resolve(name);
                Path model = dir.resolve(Trainer.FINAL);
                if (Files.exists(model)) {
                    checkSameRecipe(model, config);
                    entries.add(read(v.name(), seed, model));
                    continue;
                }
                boolean resume = Files.exists(dir.resolve(Trainer.LAST));
                TrainingListener listener = listeners.apply(name, config);
                TrainingJob.Outcome outcome = TrainingJob.run(config, execution, dir, resume, bad, listener);
                if (listener instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception ignored) {
                        // a progress display failing to close does not affect the run
                    }
                }
                entries.add(new Entry(v.name(), seed, model, outcome.result().validation(),
                        outcome.result().seconds() / 60));
            }
        }
        return entries;
    }

    /**
     * A finished run is reused only when it was trained as asked: one from another recipe (an older
     * release's head initialisation, another iteration count or model) would silently stand in for it.
     */
    private static void checkSameRecipe(Path model, TrainConfig wanted) {
        JsonNode saved = ModelCheckpoint.readHeader(model).metadata().get("train_config");
        if (saved == null) {
            return;
        }
        TrainConfig done = Trainer.readConfig(model, saved);
        List<String> differences = new ArrayList<>();
        if (!done.model().equals(wanted.model())) {
            differences.add("model " + done.model().describe() + " instead of " + wanted.model().describe());
        }
        if (done.headInit() != wanted.headInit()) {
            differences.add("head initialisation " + done.headInit().id() + " instead of " + wanted.headInit().id());
        }
        if (done.iterations() != wanted.iterations()) {
            differences.add(done.iterations() + " iterations instead of " + wanted.iterations());
        }
        if (!differences.isEmpty()) {
            throw new dev.danet.DanetException(model + ": a finished run with other settings ("
                    + String.join("; ", differences) + "); use a new --out, or delete " + model.getParent()
                    + " to train it again");
        }
    }

    private static Entry read(String name, long seed, Path model) {
        JsonNode meta = ModelCheckpoint.readHeader(model).metadata();
        Map<String, Double> validation = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = meta.path("validation").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            validation.put(f.getKey(), f.getValue().asDouble());
        }
        return new Entry(name, seed, model, validation, meta.path("minutes").asDouble(Double.NaN));
    }
}
