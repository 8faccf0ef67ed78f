package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Freeing intermediates as soon as they are used (see TorchBlock) changes no number: outputs,
 * gradients and BatchNorm statistics are bit-identical to the computation that keeps them all.
 */
class IntermediateReleaseTest {

    private static final ModelConfig TINY =
            new ModelConfig(ResNetDepth.RESNET50, 4, false, 8, true, HeadType.DANET, true, 3);

    private record Step(List<float[]> outputs, Map<String, float[]> gradients, Map<String, float[]> state) {}

    private static Step trainingStep(boolean release) {
        Engine.getInstance().setRandomSeed(11);
        try (Network network = Network.create(TINY, ExecutionOptions.DEFAULTS.withReleaseIntermediates(release)); NDManager m = network.manager().newSubManager()) {
            network.parameters().get("head.sa.gamma").getArray().addi(0.5f);
            network.parameters().get("head.sc.gamma").getArray().addi(-0.3f);
            Engine.getInstance().setRandomSeed(12);
            NDArray images = m.randomNormal(new Shape(2, 3, 40, 48));
            List<float[]> outputs = new ArrayList<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = network.baseModel().forward(network.parameterStore(), new NDList(images), true);
                NDArray loss = null;
                for (NDArray o : out) {
                    outputs.add(o.toFloatArray());
                    NDArray term = o.square().mean();
                    loss = loss == null ? term : loss.add(term);
                }
                collector.backward(loss);
            }
            outputs.add(network.predict(images).toFloatArray());
            Map<String, float[]> gradients = new LinkedHashMap<>();
            Map<String, float[]> state = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : network.parameters().entrySet()) {
                NDArray a = e.getValue().getArray();
                if (e.getValue().requiresGradient()) {
                    gradients.put(e.getKey(), a.getGradient().toFloatArray());
                } else {
                    state.put(e.getKey(), a.toFloatArray()); // BN running statistics
                }
            }
            return new Step(outputs, gradients, state);
        }
    }

    @Test
    void releasingIntermediatesLeavesOutputsGradientsAndStatisticsBitIdentical() {
        Step kept = trainingStep(false);
        Step released = trainingStep(true);
        assertEquals(kept.outputs().size(), released.outputs().size());
        for (int i = 0; i < kept.outputs().size(); i++) {
            assertArrayEquals(kept.outputs().get(i), released.outputs().get(i), "output " + i);
        }
        assertEquals(kept.gradients().keySet(), released.gradients().keySet());
        kept.gradients().forEach((name, g) -> assertArrayEquals(g, released.gradients().get(name), name));
        kept.state().forEach((name, v) -> assertArrayEquals(v, released.state().get(name), name));
    }

    @Test
    void inferenceFreesTheAuxiliaryFeaturesBeforeTheHeadRuns() {
        try (Network network = Network.create(TINY); NDManager m = network.manager().newSubManager()) {
            NDArray images = m.randomNormal(new Shape(1, 3, 40, 48));
            // c3 feeds only the auxiliary head, which inference does not run.
            Shape c3 = network.baseModel().backbone().getOutputShapes(new Shape[] {images.getShape()})[2];
            List<Shape> openDuringAttention = new ArrayList<>();
            ((DanetHead) network.baseModel().head()).setTap(new AttentionTap() {
                @Override
                public void position(NDArray weights, long firstRow, NDArray queries, NDArray keys, long h, long w) {
                    m.getManagedArrays().forEach(a -> openDuringAttention.add(a.getShape()));
                }
            });
            network.predict(images).close();
            assertTrue(!openDuringAttention.isEmpty(), "the tap saw the pass");
            assertTrue(!openDuringAttention.contains(c3), "c3 " + c3 + " still open: " + openDuringAttention);
        }
    }
}
