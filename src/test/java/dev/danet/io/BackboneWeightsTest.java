package dev.danet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import dev.danet.nn.Stem;
import dev.danet.testing.Fixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `train --backbone-init` takes the backbone of any layout, here an mmseg model into a V1c network. */
class BackboneWeightsTest {

    @Test
    void anMmsegModelsBackboneInitialisesAV1cNetworkCompletely() {
        Path file = Fixtures.ROOT.resolve("layouts/mmseg_danet_r50/model.pth");
        Map<String, TensorData> backbone = BackboneWeights.read(file);
        assertTrue(backbone.keySet().stream().allMatch(k -> k.startsWith("pretrained.")), backbone.keySet().toString());
        assertTrue(backbone.containsKey("pretrained.conv1.3.weight") && backbone.containsKey("pretrained.bn1.running_mean"));
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET50, 4, false, 8, false, HeadType.FCN, false, 7)
                .withStem(Stem.DEEP_V1C);
        try (Network network = Network.create(config)) {
            StateDictLoader.Report report = StateDictLoader.load(network, backbone, StateDictLoader.Scope.BACKBONE,
                    true, file.toString());
            assertTrue(report.complete(), StateDictLoader.problems(report));
            float[] loaded = network.parameters().get("pretrained.layer4.2.conv3.weight").getArray().toFloatArray();
            assertArrayEquals(backbone.get("pretrained.layer4.2.conv3.weight").toFloats(), loaded);
            assertEquals(backbone.keySet().stream().filter(k -> !k.endsWith("num_batches_tracked")).count(),
                    report.loaded());
        }
    }
}
