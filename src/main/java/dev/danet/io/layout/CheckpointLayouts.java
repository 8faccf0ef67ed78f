package dev.danet.io.layout;

import dev.danet.DanetException;
import dev.danet.io.TensorData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checkpoint layouts this project reads, and the recognition of a file's layout from its
 * keys. Order matters: the first layout that recognises the keys wins.
 */
public final class CheckpointLayouts {

    /** The released DANet and PyTorch-Encoding: pretrained.*, head.*, auxlayer.* (the project's own names). */
    public static final CheckpointLayout REFERENCE_DANET = new RenamingLayout("reference-danet",
            "reference DANet (pretrained.*, head.*, auxlayer.*)",
            keys -> keys.stream().anyMatch(k -> k.startsWith("pretrained.") || k.startsWith("head.")), false, true,
            new PrefixRules());

    /**
     * torchvision's fcn_resnet50 / fcn_resnet101: a dilated ResNet under backbone.* (torchvision's
     * own names), FCNHead classifier.{0 conv, 1 BN, 4 conv} and the same on layer3 as
     * aux_classifier; the scores are upsampled with align_corners=False.
     */
    public static final CheckpointLayout TORCHVISION_FCN = new RenamingLayout("torchvision-fcn",
            "torchvision segmentation FCN (backbone.conv1.*, classifier.*, aux_classifier.*)",
            keys -> keys.contains("backbone.conv1.weight") && keys.stream().anyMatch(k -> k.startsWith("classifier.")),
            false, false, new PrefixRules()
                    .add("backbone.", "pretrained.")
                    .add("classifier.", "head.conv5.")
                    .add("aux_classifier.", "auxlayer.conv5."));

    /** mmsegmentation's EncoderDecoder with a ResNetV1c backbone and a DANet or FCN decode head. */
    public static final CheckpointLayout MMSEG = new MmsegLayout();

    /** A torchvision ImageNet ResNet: conv1.*, bn1.*, layer1..4.*, fc.* (backbone only). */
    public static final CheckpointLayout TORCHVISION_RESNET = backbone("torchvision-resnet",
            "torchvision ImageNet ResNet (conv1.*, bn1.*, layer1.*; backbone only)", "conv1.weight",
            new PrefixRules().add("", "pretrained."));

    /** mmcv's ImageNet ResNetV1c (open-mmlab://resnet50_v1c): stem.{0..7}.*, layer1..4.* (backbone only). */
    public static final CheckpointLayout MMSEG_BACKBONE = backbone("mmseg-resnet-v1c",
            "mmcv ImageNet ResNetV1c (stem.*, layer1.*; backbone only)", "stem.0.weight",
            MmsegLayout.stemRules("", new PrefixRules()).add("", "pretrained."));

    /** Every layout, in recognition order. */
    public static final List<CheckpointLayout> ALL = List.of(REFERENCE_DANET, MMSEG, TORCHVISION_FCN,
            TORCHVISION_RESNET, MMSEG_BACKBONE);

    private CheckpointLayouts() {}

    /** A file's keys, the DataParallel "module." prefix stripped. */
    public static Map<String, TensorData> stripModulePrefix(Map<String, TensorData> stateDict) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        stateDict.forEach((k, v) -> out.put(k.startsWith("module.") ? k.substring(7) : k, v));
        return out;
    }

    /**
     * The layout of a state dict (keys without "module."), or a one-line error naming the keys
     * found and the layouts known.
     */
    public static CheckpointLayout detect(Map<String, TensorData> stateDict, String source) {
        Set<String> keys = stateDict.keySet();
        if (keys.stream().anyMatch(k -> k.startsWith("classifier.0.convs.") || k.startsWith("classifier.0.project."))) {
            throw new DanetException(source + ": a torchvision DeepLabV3 (its classifier is an ASPP module);"
                    + " only the DANet and FCN heads are supported");
        }
        for (CheckpointLayout layout : ALL) {
            if (layout.recognises(keys)) {
                return layout;
            }
        }
        String sample = keys.stream().limit(6).collect(Collectors.joining(", "));
        throw new DanetException(source + ": unknown checkpoint layout (" + keys.size() + " keys: " + sample
                + (keys.size() > 6 ? ", ..." : "") + "); known layouts: "
                + ALL.stream().map(CheckpointLayout::description).collect(Collectors.joining("; ")));
    }

    private static CheckpointLayout backbone(String id, String description, String marker, PrefixRules rules) {
        return new RenamingLayout(id, description,
                keys -> keys.contains(marker) && keys.contains("layer1.0.conv1.weight"), true, true, rules);
    }
}
