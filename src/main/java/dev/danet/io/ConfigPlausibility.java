package dev.danet.io;

import dev.danet.DanetException;
import dev.danet.data.ClassSet;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.ParameterFloor;
import java.nio.file.Path;
import java.util.Map;

/**
 * Refuses, before a network is built, a configuration that no weights file could back: one that
 * needs more parameters than its file holds values (a .danet whose configuration disagrees with
 * its weights, a tensor whose corrupt shape implies a width of 100000), more classes than a
 * label image can hold, or more parameters than any model this tool runs. Building first would
 * cost the whole network's memory (gigabytes) before the shapes could be compared.
 */
final class ConfigPlausibility {

    /** The most parameters a network may have: 4 GB of float32; the published DANets have 50-70 million. */
    static final long MAX_PARAMETERS = 1_000_000_000L;

    private ConfigPlausibility() {}

    /**
     * @param state the file's tensors under the project's names
     * @param scope which part of the network the file must cover (when strict)
     * @param strict whether every parameter must come from the file
     */
    static void check(Path file, ModelConfig config, Map<String, TensorData> state, StateDictLoader.Scope scope,
            boolean strict) {
        if (config.classes() > ClassSet.MAX_CLASSES) {
            throw new DanetException(file + ": the model has " + config.classes() + " classes; at most "
                    + ClassSet.MAX_CLASSES + " are supported (a label image holds 16 bits)");
        }
        long floor = ParameterFloor.of(config);
        if (floor > MAX_PARAMETERS) {
            throw new DanetException(file + ": " + config.describe() + " needs at least " + count(floor)
                    + " parameters, more than the " + count(MAX_PARAMETERS)
                    + " this tool builds; the file is corrupt or not a model it runs");
        }
        long required = scope == StateDictLoader.Scope.MODEL ? floor : ParameterFloor.backbone(config);
        long held = values(state);
        if (strict && required > held) {
            throw new DanetException(file + ": " + config.describe() + " needs at least " + count(required)
                    + " parameters, but the file holds " + count(held) + " values: its configuration and its"
                    + " tensors' shapes disagree (a corrupt shape or configuration)");
        }
    }

    /** The values the tensors hold together, saturating at Long.MAX_VALUE. */
    private static long values(Map<String, TensorData> state) {
        long total = 0;
        for (TensorData t : state.values()) {
            total += Math.min(t.numel(), Long.MAX_VALUE - total);
        }
        return total;
    }

    private static String count(long n) {
        return n == Long.MAX_VALUE ? "more than 9.2e18" : String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
