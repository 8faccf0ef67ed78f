package dev.danet.io;

import dev.danet.DanetException;
import dev.danet.nn.HeadType;
import dev.danet.nn.ResNetDepth;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a PyTorch state dict reveals about its architecture: the ResNet depth, width
 * and stem from the backbone keys; the head, class count and auxiliary head from the head
 * keys. Output stride and multi-grid are dilation choices and leave no trace in the weights.
 */
public final class ConfigInference {

    private static final Pattern BLOCK = Pattern.compile("^layer([1-4])\\.(\\d+)\\.");

    /** What the keys say; head fields are null for a backbone-only file. */
    public record Inferred(StateDictLoader.Scope scope, ResNetDepth backbone, int width, boolean deepStem,
            HeadType head, Integer classes, boolean aux) {}

    private ConfigInference() {}

    public static Inferred infer(Map<String, TensorData> stateDict, String source) {
        boolean model = stateDict.keySet().stream().anyMatch(k -> strip(k).startsWith("pretrained."));
        StateDictLoader.Scope scope = model ? StateDictLoader.Scope.MODEL : StateDictLoader.Scope.BACKBONE;
        Map<String, TensorData> keys = StateDictLoader.normalise(stateDict, scope);
        if (!keys.containsKey("pretrained.layer1.0.conv1.weight")) {
            throw new DanetException(source + ": not a ResNet or DANet state dict (no layer1.0.conv1.weight; keys start "
                    + keys.keySet().stream().limit(4).toList() + ")");
        }
        boolean bottleneck = keys.containsKey("pretrained.layer1.0.conv3.weight");
        int[] counts = new int[4];
        for (int s = 0; s < 4; s++) {
            TreeSet<Integer> blocks = new TreeSet<>();
            for (String k : keys.keySet()) {
                Matcher m = BLOCK.matcher(k.substring("pretrained.".length()));
                if (m.find() && Integer.parseInt(m.group(1)) == s + 1) {
                    blocks.add(Integer.parseInt(m.group(2)));
                }
            }
            counts[s] = blocks.size();
        }
        ResNetDepth depth = ResNetDepth.of(bottleneck, counts);
        if (depth == null) {
            throw new DanetException(source + ": ResNet with " + (bottleneck ? "bottleneck" : "basic")
                    + " blocks " + java.util.Arrays.toString(counts) + " per stage is not one of resnet18/34/50/101/152");
        }
        int width = (int) keys.get("pretrained.layer1.0.conv1.weight").shape()[0];
        boolean deepStem = keys.containsKey("pretrained.conv1.0.weight");
        if (!model) {
            return new Inferred(scope, depth, width, deepStem, null, null, false);
        }
        boolean pam = keys.containsKey("head.sa.gamma");
        boolean cam = keys.containsKey("head.sc.gamma");
        HeadType head;
        String classifier;
        if (pam && cam) {
            head = HeadType.DANET;
            classifier = "head.conv8.1.weight";
        } else if (pam) {
            head = HeadType.PAM;
            classifier = "head.conv6.1.weight";
        } else if (cam) {
            head = HeadType.CAM;
            classifier = "head.conv7.1.weight";
        } else {
            head = HeadType.FCN;
            classifier = "head.conv5.4.weight";
        }
        TensorData scores = keys.get(classifier);
        if (scores == null) {
            throw new DanetException(source + ": cannot tell the head: no " + classifier
                    + " (expected a DANet, PAM, CAM or FCN head in the reference layout)");
        }
        boolean aux = keys.keySet().stream().anyMatch(k -> k.startsWith("auxlayer."));
        return new Inferred(scope, depth, width, deepStem, head, (int) scores.shape()[0], aux);
    }

    private static String strip(String key) {
        return key.startsWith("module.") ? key.substring(7) : key;
    }
}
