package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lean training settings give every parameter the gradient of the plain step (float64,
 * L2 distance within 1e-10 of the gradient's norm, or of 1 where that is below 1), for each head, with the auxiliary head, and with position
 * attention in many row blocks.
 */
class LeanTrainingTest {

    private static final double TOLERANCE = 1e-10;

    // ResNet-50's stages (3, 4, 6, 3 units) end in a recomputed segment of one unit or of two.
    @ParameterizedTest(name = "{0} aux={1} blockRows={2} {3} {4}")
    @CsvSource({
        "DANET, true, 7, lean-attention, RESNET18",
        "DANET, false, 5, lean, RESNET18",
        "DANET, true, 0, lean, RESNET18",
        "DANET, true, 5, lean, RESNET50",
        "PAM, false, 3, lean, RESNET18",
        "CAM, true, 0, lean, RESNET18",
        "FCN, true, 0, recompute-backbone, RESNET18",
    })
    void everyGradientIsThePlainStepsGradient(
            HeadType head, boolean aux, int blockRows, String memory, ResNetDepth backbone) {
        ModelConfig config = new ModelConfig(backbone, 4, false, 8, false, head, aux, 3);
        Engine.getInstance().setRandomSeed(7);
        long positions = 5 * 6; // 40 x 48 input at output stride 8
        long budget = blockRows == 0 ? ExecutionOptions.WHOLE_ATTENTION_MAP : 2L * positions * 8 * blockRows;
        ExecutionOptions plain = ExecutionOptions.DEFAULTS.withAttentionBlockBytes(budget)
                .withTrainingMemory(TrainingMemory.PLAIN);
        try (Network network = Network.create(config, null, DataType.FLOAT64, plain);
                NDManager scope = network.manager().newSubManager()) {
            Parameter gamma = network.parameters().get("head.sa.gamma");
            if (gamma != null) {
                gamma.getArray().addi(0.7); // at its initial 0 the attention would get no gradient
            }
            NDArray images = scope.randomNormal(new Shape(2, 3, 40, 48)).toType(DataType.FLOAT64, false);
            NDArray labels = scope.randomInteger(0, 3, new Shape(2, 40, 48), DataType.INT32);
            Map<String, double[]> expected = gradients(network, images, labels);
            try (Network lean = network.withOptions(plain.withTrainingMemory(TrainingMemory.parse(memory)))) {
                Map<String, double[]> actual = gradients(lean, images, labels);
                assertEquals(expected.keySet(), actual.keySet());
                expected.forEach((name, g) -> {
                    // Relative to the gradient, or to 1 where it is zero but for rounding (a
                    // key bias cannot change a softmax row: its gradient is 1e-17 noise).
                    double error = distance(actual.get(name), g) / Math.max(norm(g), 1);
                    assertTrue(error <= TOLERANCE, name + ": relative L2 error " + error + " (norm " + norm(actual.get(name))
                            + ", plain " + norm(g) + ")");
                });
            }
        }
    }

    /** Every trainable parameter's gradient of the summed cross-entropy of all outputs. */
    private static Map<String, double[]> gradients(Network network, NDArray images, NDArray labels) {
        for (Parameter p : network.parameters().values()) {
            if (p.requiresGradient()) {
                try (NDArray g = p.getArray().getGradient()) {
                    g.muli(0);
                }
            }
        }
        Engine.getInstance().setRandomSeed(11); // the same dropout masks in both passes
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                TrainingPass pass = network.trainingPass(images)) {
            NDArray target = labels.oneHot(3, DataType.FLOAT64).transpose(0, 3, 1, 2);
            NDArray loss = null;
            for (NDArray scores : pass.outputs().all()) {
                NDArray term = scores.logSoftmax(1).mul(target).sum().mul(-1.0 / labels.size());
                loss = loss == null ? term : loss.add(term);
            }
            pass.backward(collector, loss);
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        network.parameters().forEach((name, p) -> {
            if (p.requiresGradient()) {
                try (NDArray g = p.getArray().getGradient()) {
                    out.put(name, g.toType(DataType.FLOAT64, false).toDoubleArray());
                }
            }
        });
        return out;
    }

    private static double norm(double[] x) {
        return Math.sqrt(java.util.Arrays.stream(x).map(v -> v * v).sum());
    }

    private static double distance(double[] actual, double[] expected) {
        double diff = 0;
        for (int i = 0; i < actual.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
        }
        return Math.sqrt(diff);
    }
}
