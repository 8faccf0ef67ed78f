package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every score map a model computes in one pass, by name, as torchvision's segmentation models
 * return {"out", "aux"}: {@link #MAIN} (the prediction: DANet's fused map, or the fused map over
 * the scales of a multi-scale model), each scale's own main map ("scale_S", a multi-scale model
 * only, in its configured scale order), DANet's {@link #PAM} and {@link #CAM} branch maps and the
 * auxiliary head's map ({@link #AUX}), each fused over the scales of a multi-scale model. A model
 * without one of them has no entry. All are (B, classes, H, W) at input resolution.
 *
 * <p>Iteration order is the order above; the loss terms and the training log's
 * "output_losses" follow it. DJL blocks return an {@link NDList} in this order, and
 * {@link #of(NDList, ModelConfig)} is the one place that reads it.
 */
public final class SegmentationOutputs {

    public static final String MAIN = "main";
    public static final String PAM = "pam";
    public static final String CAM = "cam";
    public static final String AUX = "aux";
    private static final String SCALE_PREFIX = "scale_";

    private final Map<String, NDArray> byName;

    /** Outputs by name, in the documented order; main is required. */
    public SegmentationOutputs(Map<String, NDArray> byName) {
        if (!byName.containsKey(MAIN)) {
            throw new IllegalArgumentException("a model's outputs need a main map, got " + byName.keySet());
        }
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /**
     * The names of the outputs a model of this configuration computes with every output asked
     * for, in order: main, each scale's map, PAM and CAM (DANet), aux.
     */
    public static List<String> names(ModelConfig config) {
        List<String> names = new ArrayList<>();
        names.add(MAIN);
        if (config.multiScale()) {
            config.scales().scales().forEach(s -> names.add(scaleName(s)));
        }
        if (config.head().outputCount() > 1) {
            names.add(PAM);
            names.add(CAM);
        }
        if (config.aux()) {
            names.add(AUX);
        }
        return names;
    }

    /** The name of the main map of one input scale of a multi-scale model: "scale_0.75". */
    public static String scaleName(double scale) {
        return SCALE_PREFIX + scale;
    }

    /** Names a block's outputs (every output asked for) as {@link #names} lists them for its configuration. */
    public static SegmentationOutputs of(NDList blockOutputs, ModelConfig config) {
        List<String> names = names(config);
        if (blockOutputs.size() != names.size()) {
            throw new IllegalStateException("a " + config.describe() + " returned " + blockOutputs.size()
                    + " outputs, expected " + names);
        }
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            byName.put(names.get(i), blockOutputs.get(i));
        }
        return new SegmentationOutputs(byName);
    }

    /** The prediction. */
    public NDArray main() {
        return byName.get(MAIN);
    }

    /** Each scale's own main map, in the configured scale order; empty for a single-scale model. */
    public List<NDArray> scales() {
        List<NDArray> maps = new ArrayList<>();
        byName.forEach((name, map) -> {
            if (name.startsWith(SCALE_PREFIX)) {
                maps.add(map);
            }
        });
        return maps;
    }

    /** DANet's position-attention branch map. */
    public Optional<NDArray> pam() {
        return Optional.ofNullable(byName.get(PAM));
    }

    /** DANet's channel-attention branch map. */
    public Optional<NDArray> cam() {
        return Optional.ofNullable(byName.get(CAM));
    }

    /** The auxiliary FCN head's map. */
    public Optional<NDArray> aux() {
        return Optional.ofNullable(byName.get(AUX));
    }

    /** Every output by name, in the documented order. */
    public Map<String, NDArray> byName() {
        return byName;
    }

    /** Every output in the documented order. */
    public List<NDArray> all() {
        return List.copyOf(byName.values());
    }

    public int size() {
        return byName.size();
    }
}
