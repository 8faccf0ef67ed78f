package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.danet.train.SegmentationLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Attention-to-Scale wrapper: weights, fusions, exactness at one scale, names and gradients. */
class MultiScaleModelTest {

    private static final ModelConfig FCN = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.FCN,
            false, 3);
    private static final ModelConfig DANET_AUX = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false,
            HeadType.DANET, true, 3);
    private static final List<Double> PAPER = List.of(1.0, 0.75, 0.5);

    private static ModelConfig wrapped(ModelConfig base, List<Double> scales, ScaleFusion fusion) {
        return base.withScales(new ScaleConfig(scales, fusion));
    }

    /** A trained head is not uniform: give the attention head's last layer random weights. */
    private static void randomiseAttention(Network network) {
        network.parameters().forEach((name, p) -> {
            if (name.startsWith("scale_attention.2.")) {
                NDArray w = p.getArray();
                w.getManager().randomNormal(0, 0.5f, w.getShape(), w.getDataType()).copyTo(w);
            }
        });
    }

    /** Copies every weight of from into the same-named weight of to. */
    private static void copyWeights(Network from, Network to) {
        Map<String, Parameter> target = to.parameters();
        from.parameters().forEach((name, p) -> p.getArray().copyTo(target.get(name).getArray()));
    }

    @Test
    void attentionWeightsSumToOneAtEveryPixel() {
        try (Network network = Network.create(wrapped(FCN, PAPER, ScaleFusion.ATTENTION));
                NDManager m = network.manager().newSubManager()) {
            randomiseAttention(network);
            NDArray images = m.randomNormal(new Shape(2, 3, 40, 56));
            NDArray atFeatures = network.multiScale().scaleWeights(network.parameterStore(), images);
            NDArray atInput = network.scaleWeights(images);
            assertEquals(new Shape(2, 3, 5, 7), atFeatures.getShape());
            assertEquals(new Shape(2, 3, 40, 56), atInput.getShape());
            for (NDArray w : new NDArray[] {atFeatures, atInput}) {
                float[] sums = w.sum(new int[] {1}).toFloatArray();
                for (float s : sums) {
                    assertEquals(1f, s, 1e-5f);
                }
                assertTrue(w.min().getFloat() >= 0f);
            }
            assertTrue(atFeatures.max().getFloat() - atFeatures.min().getFloat() > 0.05f, "weights vary over pixels");
        }
    }

    @Test
    void aNewAttentionHeadStartsAsAveragePooling() {
        try (Network attention = Network.create(wrapped(FCN, PAPER, ScaleFusion.ATTENTION));
                Network average = Network.create(wrapped(FCN, PAPER, ScaleFusion.AVERAGE));
                NDManager m = attention.manager().newSubManager()) {
            Map<String, Parameter> target = average.parameters();
            attention.parameters().forEach((name, p) -> {
                if (target.containsKey(name)) {
                    p.getArray().copyTo(target.get(name).getArray());
                }
            });
            NDArray images = m.randomNormal(new Shape(1, 3, 32, 48));
            assertArrayEquals(average.predict(images).toFloatArray(), attention.predict(images).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void oneScaleReproducesTheBaseNetworkExactly() {
        for (ScaleFusion fusion : ScaleFusion.values()) {
            try (Network base = Network.create(DANET_AUX);
                    Network single = Network.create(wrapped(DANET_AUX, List.of(1.0), fusion));
                    NDManager m = base.manager().newSubManager()) {
                copyWeights(base, single);
                randomiseAttention(single);
                NDArray images = m.randomNormal(new Shape(2, 3, 40, 56));
                assertArrayEquals(base.predict(images).toFloatArray(), single.predict(images).toFloatArray(), 0f,
                        fusion.id());
                List<NDArray> expected = base.forwardAll(images, false).all(); // fused, PAM, CAM, aux
                List<NDArray> actual = single.forwardAll(images, false).all(); // fused, f^1, PAM, CAM, aux
                assertEquals(expected.size() + 1, actual.size());
                assertArrayEquals(expected.get(0).toFloatArray(), actual.get(0).toFloatArray(), 0f);
                assertArrayEquals(expected.get(0).toFloatArray(), actual.get(1).toFloatArray(), 0f);
                for (int i = 1; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i).toFloatArray(), actual.get(i + 1).toFloatArray(), 0f, "output " + i);
                }
            }
        }
    }

    @Test
    void theSharedNetworkKeepsItsNamesAndTheAttentionHeadHasItsOwn() {
        try (Network base = Network.create(DANET_AUX);
                Network attention = Network.create(wrapped(DANET_AUX, PAPER, ScaleFusion.ATTENTION));
                Network max = Network.create(wrapped(DANET_AUX, PAPER, ScaleFusion.MAX))) {
            List<String> expected = new ArrayList<>(base.parameters().keySet());
            assertEquals(expected, new ArrayList<>(max.parameters().keySet()));
            expected.addAll(List.of("scale_attention.0.weight", "scale_attention.0.bias", "scale_attention.2.weight",
                    "scale_attention.2.bias"));
            assertEquals(expected, new ArrayList<>(attention.parameters().keySet()));
            // 3 scales x layer4's 32 channels in, features / 4 = 8 hidden, 3 logits out.
            assertEquals(new Shape(8, 96, 3, 3), attention.parameters().get("scale_attention.0.weight").getArray().getShape());
            assertEquals(new Shape(3, 8, 1, 1), attention.parameters().get("scale_attention.2.weight").getArray().getShape());
        }
    }

    /** Each scale's score map at the fusion size, computed step by step from the base network. */
    private static List<float[]> scaleScores(Network network, NDArray images, Shape target) {
        List<float[]> maps = new ArrayList<>();
        for (double s : network.config().scales().scales()) {
            long h = Math.round(images.getShape().get(2) * s);
            long w = Math.round(images.getShape().get(3) * s);
            NDArray scores = network.baseModel().forwardFeatures(network.parameterStore(),
                    BilinearResize.alignCorners(images, h, w), false, false).scores().get(0);
            maps.add(BilinearResize.alignCorners(scores, target.get(0), target.get(1)).toFloatArray());
        }
        return maps;
    }

    @Test
    void averageMaxAndAttentionFusionEqualTheirHandComputedVersions() {
        Shape input = new Shape(1, 3, 48, 64);
        Shape target = new Shape(6, 8);
        for (ScaleFusion fusion : ScaleFusion.values()) {
            try (Network network = Network.create(wrapped(FCN, PAPER, fusion));
                    NDManager m = network.manager().newSubManager()) {
                randomiseAttention(network);
                NDArray images = m.randomNormal(input);
                List<float[]> maps = scaleScores(network, images, target);
                int plane = (int) (target.get(0) * target.get(1));
                float[] weights = fusion == ScaleFusion.ATTENTION
                        ? network.multiScale().scaleWeights(network.parameterStore(), images).toFloatArray() : null;
                float[] fused = new float[maps.get(0).length];
                for (int i = 0; i < fused.length; i++) {
                    float v = fusion == ScaleFusion.MAX ? Float.NEGATIVE_INFINITY : 0f;
                    for (int s = 0; s < maps.size(); s++) {
                        float f = maps.get(s)[i];
                        v = switch (fusion) {
                            case AVERAGE -> v + f / maps.size();
                            case MAX -> Math.max(v, f);
                            case ATTENTION -> v + weights[s * plane + i % plane] * f;
                        };
                    }
                    fused[i] = v;
                }
                NDArray expected = BilinearResize.alignCorners(m.create(fused, new Shape(1, 3, 6, 8)), 48, 64);
                assertArrayEquals(expected.toFloatArray(), network.predict(images).toFloatArray(), 1e-4f, fusion.id());
            }
        }
    }

    @Test
    void gradientsReachTheAttentionHeadAndTheSharedNetwork() {
        try (Network network = Network.create(wrapped(FCN, PAPER, ScaleFusion.ATTENTION));
                NDManager m = network.manager().newSubManager()) {
            randomiseAttention(network);
            NDArray images = m.randomNormal(new Shape(2, 3, 32, 48));
            NDArray labels = m.randomInteger(0, 3, new Shape(2, 32, 48), DataType.INT32);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                SegmentationOutputs outputs = network.forwardAll(images, true);
                assertEquals(1 + 3, outputs.size());
                // The fused map's loss alone: every gradient below comes through the fusion.
                collector.backward(new SegmentationLoss(Map.of(SegmentationOutputs.MAIN, 1.0)).compute(outputs, labels)
                        .total());
            }
            List<String> without = new ArrayList<>();
            network.parameters().forEach((name, p) -> {
                if (p.requiresGradient() && p.getArray().getGradient().abs().sum().getFloat() == 0f) {
                    without.add(name);
                }
            });
            assertTrue(without.isEmpty(), "no gradient for " + without);
        }
    }
}
