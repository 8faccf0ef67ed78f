package dev.danet.io.layout;

import dev.danet.DanetException;
import dev.danet.io.TensorData;
import dev.danet.nn.FcnStyle;
import dev.danet.nn.HeadType;
import dev.danet.nn.ResNetDepth;
import dev.danet.nn.Stem;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a state dict under the project's names (see {@link CheckpointLayout}) reveals about
 * its architecture: the ResNet depth, width and stem from the backbone keys; the head, FCN style,
 * class count and auxiliary head from the head keys. Output stride and multi-grid are dilation
 * choices and leave no trace in the weights.
 */
public final class ConfigInference {

    private static final Pattern BLOCK = Pattern.compile("^pretrained\\.layer([1-4])\\.(\\d+)\\.");

    /**
     * What the keys say; head fields are null for a backbone-only file, and headChannels is null
     * for a head of the reference's width (features / 4).
     */
    public record Inferred(ResNetDepth backbone, int width, Stem stem, HeadType head, FcnStyle fcnStyle,
            Integer classes, boolean aux, Integer headChannels) {}

    private ConfigInference() {}

    /**
     * @param keys the state dict under the project's names
     * @param backboneOnly whether the file holds a backbone only
     * @param source the file, for messages
     */
    public static Inferred infer(Map<String, TensorData> keys, boolean backboneOnly, String source) {
        TensorData first = keys.get("pretrained.layer1.0.conv1.weight");
        if (first == null) {
            throw new DanetException(source + ": not a ResNet-based model (no layer1.0.conv1.weight; keys start "
                    + keys.keySet().stream().limit(4).toList() + ")");
        }
        boolean bottleneck = keys.containsKey("pretrained.layer1.0.conv3.weight");
        int[] counts = new int[4];
        for (int s = 0; s < 4; s++) {
            TreeSet<Integer> blocks = new TreeSet<>();
            for (String k : keys.keySet()) {
                Matcher m = BLOCK.matcher(k);
                if (m.find() && Integer.parseInt(m.group(1)) == s + 1) {
                    blocks.add(Integer.parseInt(m.group(2)));
                }
            }
            counts[s] = blocks.size();
        }
        ResNetDepth depth = ResNetDepth.of(bottleneck, counts);
        if (depth == null) {
            throw new DanetException(source + ": ResNet with " + (bottleneck ? "bottleneck" : "basic")
                    + " blocks " + Arrays.toString(counts) + " per stage is not one of resnet18/34/50/101/152");
        }
        int width = dimension(first, 0, "width", source);
        Stem stem = stem(keys, width, dimension(first, 1, "input width", source), source);
        if (backboneOnly) {
            return new Inferred(depth, width, stem, null, null, null, false, null);
        }
        boolean pam = keys.containsKey("head.sa.gamma");
        boolean cam = keys.containsKey("head.sc.gamma");
        HeadType head;
        FcnStyle style = FcnStyle.ONE_CONV;
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
        } else if (keys.containsKey("head.conv_seg.1.weight")) {
            head = HeadType.FCN;
            style = FcnStyle.TWO_CONVS_CONCAT;
            classifier = "head.conv_seg.1.weight";
        } else {
            head = HeadType.FCN;
            classifier = "head.conv5.4.weight";
        }
        TensorData scores = keys.get(classifier);
        if (scores == null) {
            throw new DanetException(source + ": cannot tell the head: no " + classifier
                    + " (expected a DANet, PAM, CAM or FCN head)");
        }
        boolean aux = keys.keySet().stream().anyMatch(k -> k.startsWith("auxlayer."));
        // The classifier reads the head's branch width (mmsegmentation's `channels`).
        int branch = dimension(scores, 1, "head channels", source);
        Integer headChannels = branch == 8L * width * depth.expansion() / 4 ? null : branch; // long: no wrap
        return new Inferred(depth, width, stem, head, style, dimension(scores, 0, "classes", source), aux,
                headChannels);
    }

    /**
     * A convolution weight's dimension read as a size of the model: at least 1 and an int. Whether
     * it is plausible for the rest of the file is for the loader to judge before it builds.
     */
    private static int dimension(TensorData weight, int axis, String what, String source) {
        long[] shape = weight.shape();
        long value = shape.length == 4 ? shape[axis] : -1;
        if (value < 1 || value > Integer.MAX_VALUE) {
            String implied = shape.length != 4 ? "is not a convolution weight"
                    : "implies " + (what.equals("classes") ? value + " classes" : what + " " + value);
            throw new DanetException(source + ": " + weight.name() + " has shape " + weight.shapeString()
                    + ", which " + implied + "; the file is corrupt");
        }
        return (int) value;
    }

    /** The stem, from its last convolution's output (= layer1's input) against the base width. */
    private static Stem stem(Map<String, TensorData> keys, int width, int layer1Input, String source) {
        if (!keys.containsKey("pretrained.conv1.0.weight")) {
            return Stem.CONV7;
        }
        if (layer1Input == Stem.DEEP.outChannels(width)) {
            return Stem.DEEP;
        }
        if (layer1Input == Stem.DEEP_V1C.outChannels(width)) {
            return Stem.DEEP_V1C;
        }
        throw new DanetException(source + ": a deep stem handing " + layer1Input + " channels to a layer1 of width "
                + width + " (known: " + Stem.DEEP.outChannels(width) + " as the reference, " + width + " as ResNetV1c)");
    }
}
