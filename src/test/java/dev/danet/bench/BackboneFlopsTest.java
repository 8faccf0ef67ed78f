package dev.danet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The analytic count equals a count over the real network's convolutions, read from the
 * shapes DJL inferred when it built the backbone for a 64x64 input.
 */
class BackboneFlopsTest {

    @ParameterizedTest
    @CsvSource({"RESNET18, 8, false, false", "RESNET50, 8, true, false", "RESNET34, 16, false, true",
            "RESNET101, 8, true, true"})
    void analyticCountMatchesTheBuiltNetworksConvolutions(ResNetDepth depth, int stride, boolean multiGrid,
            boolean deepStem) {
        ModelConfig config = new ModelConfig(depth, 4, deepStem, stride, multiGrid, HeadType.FCN, false, 3);
        try (Network network = Network.create(config)) {
            double counted = convolutionFlops(network.baseModel().backbone());
            assertEquals(counted, BackboneFlops.of(config, 1, 64, 64), counted * 1e-12);
        }
    }

    private static double convolutionFlops(Block block) {
        if (block instanceof Conv2d conv) {
            Shape in = conv.getInputShapes()[0];
            Shape out = conv.getOutputShapes(new Shape[] {in})[0];
            Shape weight = conv.getParameters().get("weight").getArray().getShape();
            return 2.0 * weight.get(0) * weight.get(1) * weight.get(2) * weight.get(3) * out.get(2) * out.get(3);
        }
        double sum = 0;
        for (var child : block.getChildren()) {
            sum += convolutionFlops(child.getValue());
        }
        return sum;
    }
}
