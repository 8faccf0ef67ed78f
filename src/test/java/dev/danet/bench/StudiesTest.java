package dev.danet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import org.junit.jupiter.api.Test;

/**
 * bench's studies compare execution options on one network's weights through views of it: the
 * network itself keeps its options and its state.
 */
class StudiesTest {

    private static final ModelConfig TINY = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.DANET,
            false, 3);
    private static final ModelBenchmark.Settings SMALL = new ModelBenchmark.Settings(24, 32, 1, 1, 2);

    @Test
    void foldedAgainstSeparateAgreesAndLeavesTheNetworkAsItWas() {
        Engine.getInstance().setRandomSeed(3);
        try (Network network = Network.create(TINY)) {
            FoldingStudy.Result r = FoldingStudy.run(network, SMALL, status -> { });
            assertEquals(2, r.folded().count());
            assertEquals(2, r.separate().count());
            assertEquals(r.foldedMedianMs() / r.separateMedianMs(), r.ratio(), 1e-12);
            assertTrue(r.relativeL2() < 1e-5, "folded and separate agree: " + r);
            assertEquals(ExecutionOptions.DEFAULTS, network.options());
            assertFalse(network.isInferenceOnly(), "the study set only its views to inference");
            assertEquals(3, network.predict(network.manager().randomNormal(new ai.djl.ndarray.types.Shape(1, 3, 24, 32)))
                    .getShape().get(1), "the weights outlive the study's views");
        }
    }

    @Test
    void rowBlocksGiveThePlainOutputExactly() {
        Engine.getInstance().setRandomSeed(4);
        try (Network network = Network.create(TINY.withOutputStride(8, false))) {
            OutputDifference d = AttentionBlocksStudy.run(network, SMALL);
            assertEquals(0, d.relativeL2());
            assertEquals(0, d.maxAbsDifference());
            assertEquals(ExecutionOptions.DEFAULTS, network.options());
        }
    }
}
