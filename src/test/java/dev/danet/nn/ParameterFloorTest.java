package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parameter floor a loader checks before building: never above the real count, not far below it. */
class ParameterFloorTest {

    @Test
    void theFloorIsBelowTheRealCountAndWithinAFactorOfTwo() {
        List<ModelConfig> configs = List.of(
                new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.FCN, false, 3),
                new ModelConfig(ResNetDepth.RESNET50, 4, true, 8, true, HeadType.DANET, true, 19),
                new ModelConfig(ResNetDepth.RESNET34, 8, false, 16, false, HeadType.CAM, false, 300)
                        .withStem(Stem.DEEP_V1C),
                new ModelConfig(ResNetDepth.RESNET18, 8, false, 8, false, HeadType.PAM, false, 5)
                        .withFcnStyle(FcnStyle.TWO_CONVS_CONCAT),
                new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.FCN, false, 3)
                        .withScales(new ScaleConfig(List.of(1.0, 0.5), ScaleFusion.ATTENTION)));
        for (ModelConfig config : configs) {
            try (Network network = Network.create(config)) {
                long real = network.parameterCount();
                long floor = ParameterFloor.of(config);
                assertTrue(floor <= real && floor * 2 > real, config.describe() + ": floor " + floor + ", real " + real);
                assertTrue(ParameterFloor.backbone(config) < floor, config.describe());
            }
        }
    }

    @Test
    void countsBeyondALongSaturate() {
        ModelConfig huge = new ModelConfig(ResNetDepth.RESNET152, Integer.MAX_VALUE, false, 8, false, HeadType.DANET,
                false, Integer.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, ParameterFloor.of(huge));
    }
}
