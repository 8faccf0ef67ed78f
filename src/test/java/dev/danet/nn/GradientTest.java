package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gradients reach every trainable parameter, and a step of gradient descent lowers the loss. */
class GradientTest {

    private static final ModelConfig TINY =
            new ModelConfig(ResNetDepth.RESNET18, 8, false, 8, false, HeadType.DANET, true, 3);

    /** Mean cross-entropy of every output against the labels (no ignore label needed here). */
    private static NDArray loss(List<NDArray> outputs, NDArray labels, int classes) {
        NDArray total = null;
        for (NDArray logits : outputs) {
            NDArray oneHot = labels.oneHot(classes).transpose(0, 3, 1, 2);
            NDArray ce = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
            total = total == null ? ce : total.add(ce);
        }
        return total;
    }

    @Test
    void everyParameterIncludingTheAttentionScalesReceivesGradient() {
        try (Network network = Network.create(TINY); NDManager m = network.manager().newSubManager()) {
            // While a scale is 0 its module's projections get no gradient (as in the reference);
            // move the scales off 0 so that every path is live.
            network.parameters().get("head.sa.gamma").getArray().addi(0.5f);
            network.parameters().get("head.sc.gamma").getArray().addi(-0.3f);
            NDArray images = m.randomNormal(new Shape(2, 3, 48, 48));
            NDArray labels = m.randomInteger(0, 3, new Shape(2, 48, 48), ai.djl.ndarray.types.DataType.INT32);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList outputs = network.baseModel().forward(network.parameterStore(), new NDList(images), true);
                collector.backward(loss(outputs, labels, 3));
            }
            List<String> without = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : network.parameters().entrySet()) {
                if (!e.getValue().requiresGradient()) {
                    continue;
                }
                NDArray grad = e.getValue().getArray().getGradient();
                if (grad.abs().sum().getFloat() == 0f) {
                    without.add(e.getKey());
                }
            }
            assertTrue(without.isEmpty(), "no gradient for " + without);
        }
    }

    @Test
    void oneGradientStepLowersTheLossAndMovesTheAttentionScales() {
        try (Network network = Network.create(TINY); NDManager m = network.manager().newSubManager()) {
            m.getEngine().setRandomSeed(3);
            NDArray images = m.randomNormal(new Shape(2, 3, 48, 48));
            NDArray labels = m.randomInteger(0, 3, new Shape(2, 48, 48), ai.djl.ndarray.types.DataType.INT32);
            Parameter gamma = network.parameters().get("head.sa.gamma");
            float before;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                // Inference-mode forward (no dropout, fixed BN) keeps the two losses comparable.
                NDArray l = loss(network.forwardAll(images, false).all(), labels, 3);
                before = l.getFloat();
                collector.backward(l);
            }
            // A short step along the negative gradient (length 0.01 over all parameters).
            double squaredNorm = 0;
            for (Parameter p : network.parameters().values()) {
                if (p.requiresGradient()) {
                    squaredNorm += p.getArray().getGradient().square().sum().getFloat();
                }
            }
            float step = (float) (0.01 / Math.sqrt(squaredNorm));
            for (Parameter p : network.parameters().values()) {
                if (p.requiresGradient()) {
                    NDArray w = p.getArray();
                    w.subi(w.getGradient().mul(step));
                }
            }
            float after = loss(network.forwardAll(images, false).all(), labels, 3).getFloat();
            assertTrue(after < before, "loss " + before + " -> " + after);
            assertNotEquals(0f, gamma.getArray().getFloat(), "PAM's gamma left 0");
            assertNotEquals(0f, network.parameters().get("head.sc.gamma").getArray().getFloat(), "CAM's beta left 0");
        }
    }
}
