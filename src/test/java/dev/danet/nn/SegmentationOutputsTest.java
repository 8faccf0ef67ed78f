package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one reading of a block's output list: names, order, and what a model lacks. */
class SegmentationOutputsTest {

    private static final ModelConfig DANET_AUX = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false,
            HeadType.DANET, true, 3);

    @Test
    void aMultiScaleDanetNamesEachOfItsOutputs() {
        ModelConfig config = DANET_AUX.withScales(new ScaleConfig(List.of(1.0, 0.5), ScaleFusion.ATTENTION));
        assertEquals(List.of("main", "scale_1.0", "scale_0.5", "pam", "cam", "aux"), SegmentationOutputs.names(config));
        try (NDManager m = NDManager.newBaseManager()) {
            NDList list = new NDList();
            for (int i = 0; i < 6; i++) {
                list.add(m.create((float) i));
            }
            SegmentationOutputs outputs = SegmentationOutputs.of(list, config);
            assertSame(list.get(0), outputs.main());
            assertEquals(List.of(list.get(1), list.get(2)), outputs.scales());
            assertSame(list.get(3), outputs.pam().orElseThrow());
            assertSame(list.get(4), outputs.cam().orElseThrow());
            assertSame(list.get(5), outputs.aux().orElseThrow());
            assertEquals(list, outputs.all());
        }
    }

    @Test
    void aSingleBranchHeadHasOnlyItsMainMap() {
        ModelConfig fcn = DANET_AUX.withHead(HeadType.FCN).withAux(false);
        assertEquals(List.of("main"), SegmentationOutputs.names(fcn));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray main = m.create(1f);
            SegmentationOutputs outputs = SegmentationOutputs.of(new NDList(main), fcn);
            assertTrue(outputs.pam().isEmpty() && outputs.cam().isEmpty() && outputs.aux().isEmpty());
            assertTrue(outputs.scales().isEmpty());
            assertThrows(IllegalStateException.class, () -> SegmentationOutputs.of(new NDList(main, main), fcn));
        }
    }
}
