package dev.danet.io;

import dev.danet.io.layout.CheckpointLayouts;
import dev.danet.io.torch.PthReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backbone part of any checkpoint the project reads, under the project's names
 * (pretrained.*): an ImageNet backbone (torchvision ResNet, mmcv ResNetV1c), or the backbone of a
 * whole segmentation model (reference DANet, mmsegmentation, torchvision FCN, a danet checkpoint),
 * for initialising a network before training.
 */
public final class BackboneWeights {

    private BackboneWeights() {}

    public static Map<String, TensorData> read(Path file) {
        Map<String, TensorData> state;
        if (ModelCheckpoint.isCheckpoint(file)) {
            state = ModelCheckpoint.readWeights(file);
        } else {
            Map<String, TensorData> keys = CheckpointLayouts.stripModulePrefix(PthReader.readStateDict(file));
            state = CheckpointLayouts.detect(keys, file.toString()).toProjectNames(keys);
        }
        Map<String, TensorData> backbone = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith("pretrained.")) {
                backbone.put(k, v);
            }
        });
        return backbone;
    }
}
