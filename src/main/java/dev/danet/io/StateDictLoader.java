package dev.danet.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.danet.DanetException;
import dev.danet.nn.Network;
import dev.danet.nn.ParameterValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a PyTorch-named state dict into a network. Keys the reference saves but the model
 * does not use (BatchNorm's num_batches_tracked, the classifier pretrained.fc.*, mmseg's
 * data_preprocessor.*) are ignored,
 * as is a DataParallel "module." prefix; any other missing, unexpected or wrongly shaped key
 * is an error naming the keys, unless loading is non-strict.
 */
public final class StateDictLoader {

    /** Which part of the network a state dict covers. */
    public enum Scope {
        /** The whole model under the project's names (pretrained.*, head.*, auxlayer.*). */
        MODEL,
        /** The backbone only: pretrained.* keys, or a torchvision ResNet's (conv1.*, layer1.*, ...). */
        BACKBONE
    }

    /**
     * What a load did.
     *
     * @param nonFinite loaded tensors holding NaN or infinite values (loaded all the same, as
     *     PyTorch does; the caller says so, since such weights make every output they reach NaN)
     */
    public record Report(int loaded, List<String> missing, List<String> unexpected, List<String> mismatched,
            List<String> nonFinite) {
        public boolean complete() {
            return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
        }
    }

    private StateDictLoader() {}

    public static Report load(Network network, Map<String, TensorData> stateDict, Scope scope, boolean strict,
            String source) {
        Map<String, TensorData> file = normalise(stateDict, scope);
        Map<String, Parameter> expected = new LinkedHashMap<>();
        network.parameters().forEach((name, p) -> {
            if (scope == Scope.MODEL || name.startsWith("pretrained.")) {
                expected.put(name, p);
            }
        });
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : expected.entrySet()) {
            TensorData t = file.get(e.getKey());
            Shape want = e.getValue().getArray().getShape();
            if (t == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(t.shape(), want.getShape())) {
                mismatched.add(e.getKey() + " (file " + t.shapeString() + ", model " + want + ")");
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String key : file.keySet()) {
            if (!expected.containsKey(key)) {
                unexpected.add(key);
            }
        }
        Report report = new Report(0, missing, unexpected, mismatched, List.of());
        if (strict && !report.complete()) {
            throw new DanetException(source + ": does not fit the model (" + network.config().describe() + "): "
                    + problems(report) + ". Check --backbone/--classes/--head, or pass --non-strict to load what fits");
        }
        int loaded = 0;
        List<String> nonFinite = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : expected.entrySet()) {
            TensorData t = file.get(e.getKey());
            NDArray target = e.getValue().getArray();
            if (t == null || !Arrays.equals(t.shape(), target.getShape().getShape())) {
                continue;
            }
            // One tensor at a time, its staging copy freed before the next: the load holds the
            // file's bytes and the weights, nothing more.
            try (NDManager scratch = network.manager().newSubManager()) {
                ParameterValues.assign(target, NativeStaging.stage(t, scratch));
            }
            if (!allFinite(target)) {
                nonFinite.add(e.getKey());
            }
            loaded++;
        }
        return new Report(loaded, missing, unexpected, mismatched, nonFinite);
    }

    private static boolean allFinite(NDArray values) {
        try (NDScope checks = new NDScope()) {
            return !values.isNaN().logicalOr(values.isInfinite()).any().getBoolean();
        }
    }

    /** One line naming the tensors that hold NaN or infinite values. */
    static String nonFiniteWarning(Report report) {
        return "NaN or infinite values in " + list(report.nonFinite()) + ": the outputs they reach will be NaN"
                + " (was it saved after training diverged?)";
    }

    /** Keys as the model names them: prefixes stripped or added, ignorable entries dropped. */
    static Map<String, TensorData> normalise(Map<String, TensorData> stateDict, Scope scope) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : stateDict.entrySet()) {
            String key = e.getKey().startsWith("module.") ? e.getKey().substring(7) : e.getKey();
            if (scope == Scope.BACKBONE && !key.startsWith("pretrained.")) {
                key = "pretrained." + key;
            }
            if (key.endsWith(".num_batches_tracked") || key.startsWith("pretrained.fc.")
                    || key.startsWith("data_preprocessor.")) {
                continue;
            }
            out.put(key, e.getValue());
        }
        return out;
    }

    static String problems(Report report) {
        List<String> parts = new ArrayList<>();
        if (!report.missing().isEmpty()) {
            parts.add("missing " + list(report.missing()));
        }
        if (!report.unexpected().isEmpty()) {
            parts.add("unexpected " + list(report.unexpected()));
        }
        if (!report.mismatched().isEmpty()) {
            parts.add("wrong shape " + list(report.mismatched()));
        }
        return String.join("; ", parts);
    }

    private static String list(List<String> keys) {
        int shown = Math.min(keys.size(), 6);
        String head = String.join(", ", keys.subList(0, shown));
        return keys.size() + " key" + (keys.size() == 1 ? "" : "s") + " [" + head
                + (keys.size() > shown ? ", ... " + (keys.size() - shown) + " more" : "") + "]";
    }
}
