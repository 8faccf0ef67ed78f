package dev.danet.io.layout;

import java.util.Set;

/**
 * torchvision's fcn_resnet50 / fcn_resnet101: a dilated ResNet under backbone.* (torchvision's
 * own names), FCNHead classifier.{0 conv, 1 BN, 4 conv} and the same on layer3 as aux_classifier;
 * the scores are upsampled with align_corners=False.
 */
final class TorchvisionFcnLayout implements CheckpointLayout {

    private static final PrefixRules RULES = new PrefixRules()
            .add("backbone.", "pretrained.")
            .add("classifier.", "head.conv5.")
            .add("aux_classifier.", "auxlayer.conv5.");

    @Override
    public String id() {
        return "torchvision-fcn";
    }

    @Override
    public String description() {
        return "torchvision segmentation FCN (backbone.conv1.*, classifier.*, aux_classifier.*)";
    }

    @Override
    public boolean recognises(Set<String> keys) {
        return keys.contains("backbone.conv1.weight") && keys.stream().anyMatch(k -> k.startsWith("classifier."));
    }

    @Override
    public boolean backboneOnly() {
        return false;
    }

    @Override
    public boolean alignCornersByDefault() {
        return false;
    }

    @Override
    public String rename(String key, Set<String> keys) {
        return RULES.apply(key);
    }
}
