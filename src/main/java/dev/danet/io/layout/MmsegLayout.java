package dev.danet.io.layout;

import java.util.Set;

/**
 * mmsegmentation's EncoderDecoder checkpoints: a ResNetV1c backbone (backbone.stem.* deep stem,
 * backbone.layerN.*), a decode head (DAHead or FCNHead, decode_head.*) and optionally an FCN
 * auxiliary head (auxiliary_head.*). ConvModules store conv.weight and bn.*; the attention scales
 * are 0-dim tensors under gamma.scale.
 */
final class MmsegLayout implements CheckpointLayout {

    private static final PrefixRules DANET_HEAD = new PrefixRules()
            .add("decode_head.pam_in_conv.conv.", "head.conv5a.0.")
            .add("decode_head.pam_in_conv.bn.", "head.conv5a.1.")
            .add("decode_head.cam_in_conv.conv.", "head.conv5c.0.")
            .add("decode_head.cam_in_conv.bn.", "head.conv5c.1.")
            .add("decode_head.pam_out_conv.conv.", "head.conv51.0.")
            .add("decode_head.pam_out_conv.bn.", "head.conv51.1.")
            .add("decode_head.cam_out_conv.conv.", "head.conv52.0.")
            .add("decode_head.cam_out_conv.bn.", "head.conv52.1.")
            .add("decode_head.pam.query_project.", "head.sa.query_conv.")
            .add("decode_head.pam.key_project.", "head.sa.key_conv.")
            .add("decode_head.pam.value_project.", "head.sa.value_conv.")
            .addExact("decode_head.pam.gamma.scale", "head.sa.gamma")
            .addExact("decode_head.cam.gamma.scale", "head.sc.gamma")
            .add("decode_head.conv_seg.", "head.conv8.1.")
            .add("decode_head.pam_conv_seg.", "head.conv6.1.")
            .add("decode_head.cam_conv_seg.", "head.conv7.1.");

    /** FCNHead(num_convs=2, concat_input=True), mmseg's FCN-D8 baseline. */
    private static final PrefixRules FCN_CONCAT_HEAD = new PrefixRules()
            .add("decode_head.convs.0.conv.", "head.convs.0.0.")
            .add("decode_head.convs.0.bn.", "head.convs.0.1.")
            .add("decode_head.convs.1.conv.", "head.convs.1.0.")
            .add("decode_head.convs.1.bn.", "head.convs.1.1.")
            .add("decode_head.conv_cat.conv.", "head.conv_cat.0.")
            .add("decode_head.conv_cat.bn.", "head.conv_cat.1.")
            .add("decode_head.conv_seg.", "head.conv_seg.1.");

    /** FCNHead(num_convs=1, concat_input=False): the reference's FCN head. */
    private static final PrefixRules FCN_ONE_CONV_HEAD = new PrefixRules()
            .add("decode_head.convs.0.conv.", "head.conv5.0.")
            .add("decode_head.convs.0.bn.", "head.conv5.1.")
            .add("decode_head.conv_seg.", "head.conv5.4.");

    private static final PrefixRules AUX_HEAD = new PrefixRules()
            .add("auxiliary_head.convs.0.conv.", "auxlayer.conv5.0.")
            .add("auxiliary_head.convs.0.bn.", "auxlayer.conv5.1.")
            .add("auxiliary_head.conv_seg.", "auxlayer.conv5.4.");

    private static final PrefixRules BACKBONE = stemRules("backbone.", new PrefixRules())
            .add("backbone.", "pretrained.");

    /**
     * ResNetV1c's stem (conv, BN, ReLU three times: indices 0/1, 3/4, 6/7) onto the project's deep
     * stem, whose third norm is bn1.
     */
    static PrefixRules stemRules(String prefix, PrefixRules rules) {
        return rules.add(prefix + "stem.0.", "pretrained.conv1.0.")
                .add(prefix + "stem.1.", "pretrained.conv1.1.")
                .add(prefix + "stem.3.", "pretrained.conv1.3.")
                .add(prefix + "stem.4.", "pretrained.conv1.4.")
                .add(prefix + "stem.6.", "pretrained.conv1.6.")
                .add(prefix + "stem.7.", "pretrained.bn1.");
    }

    @Override
    public String id() {
        return "mmseg";
    }

    @Override
    public String description() {
        return "mmsegmentation EncoderDecoder (backbone.stem.*, decode_head.*, auxiliary_head.*)";
    }

    @Override
    public boolean recognises(Set<String> keys) {
        return keys.stream().anyMatch(k -> k.startsWith("decode_head.") || k.startsWith("backbone.stem."));
    }

    @Override
    public boolean backboneOnly() {
        return false;
    }

    @Override
    public boolean alignCornersByDefault() {
        // The 512x1024 Cityscapes, ADE20K and VOC configs; the 769x769 ones say True in their config.
        return false;
    }

    @Override
    public String rename(String key, Set<String> keys) {
        if (key.startsWith("backbone.")) {
            return BACKBONE.apply(key);
        }
        if (key.startsWith("auxiliary_head.")) {
            return AUX_HEAD.apply(key);
        }
        if (keys.contains("decode_head.pam_in_conv.conv.weight") || keys.contains("decode_head.cam_in_conv.conv.weight")) {
            return DANET_HEAD.apply(key);
        }
        return keys.contains("decode_head.conv_cat.conv.weight") || keys.contains("decode_head.convs.1.conv.weight")
                ? FCN_CONCAT_HEAD.apply(key) : FCN_ONE_CONV_HEAD.apply(key);
    }
}
