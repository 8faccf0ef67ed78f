package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The head initialisations: PyTorch's nn.Conv2d default on the head's convolutions, nothing else touched. */
class HeadInitTest {

    private static final ModelConfig CONFIG = new ModelConfig(ResNetDepth.RESNET18, 8, false, 8, false, HeadType.DANET,
            true, 5);

    private static Map<String, double[]> weights(HeadInit init) {
        Engine.getInstance().setRandomSeed(4);
        try (Network network = Network.create(CONFIG)) {
            init.apply(network);
            Map<String, double[]> out = new LinkedHashMap<>();
            network.parameters().forEach((name, p) -> out.put(name, p.getArray().toType(
                    ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray()));
            return out;
        }
    }

    @Test
    void pytorchDefaultDrawsTheHeadsConvolutionsUniformlyWithinOneOverRootFanInAndLeavesTheRest() {
        Map<String, double[]> kaiming = weights(HeadInit.KAIMING_FAN_OUT);
        Map<String, double[]> again = weights(HeadInit.KAIMING_FAN_OUT);
        Map<String, double[]> reference = weights(HeadInit.PYTORCH_DEFAULT);
        Map<String, Parameter.Type> types = new LinkedHashMap<>();
        Map<String, ai.djl.ndarray.types.Shape> shapes = new LinkedHashMap<>();
        Engine.getInstance().setRandomSeed(4);
        try (Network network = Network.create(CONFIG)) {
            network.parameters().forEach((name, p) -> {
                types.put(name, p.getType());
                shapes.put(name, p.getArray().getShape());
            });
        }
        int redrawn = 0;
        for (String name : kaiming.keySet()) {
            assertArrayEquals(kaiming.get(name), again.get(name), name + ": kaiming-fan-out is the network as built");
            boolean conv = types.get(name) == Parameter.Type.WEIGHT || types.get(name) == Parameter.Type.BIAS;
            if (!HeadInit.isHead(name) || !conv) {
                assertArrayEquals(kaiming.get(name), reference.get(name), name + " is not the head's convolution");
                continue;
            }
            redrawn++;
            String weightName = name.endsWith(".bias") ? name.substring(0, name.length() - 4) + "weight" : name;
            ai.djl.ndarray.types.Shape shape = shapes.get(weightName);
            double bound = 1 / Math.sqrt(shape.size() / shape.get(0));
            double[] values = reference.get(name);
            double squares = 0;
            for (double v : values) {
                assertTrue(Math.abs(v) <= bound, name + ": " + v + " outside +-" + bound);
                squares += v * v;
            }
            double std = Math.sqrt(squares / values.length);
            if (values.length >= 1000) {
                assertEquals(bound / Math.sqrt(3), std, 0.1 * bound / Math.sqrt(3), name + ": a uniform's spread");
            }
            assertTrue(squares > 0, name + " was drawn (biases too: PyTorch's are not 0)");
        }
        // conv5a/c, sa query/key/value (weights and biases), conv51/52, conv6/7/8 (weights and
        // biases), the aux head's two convolutions and its classifier's bias.
        assertEquals(2 + 6 + 2 + 6 + 3, redrawn);
        assertEquals(0, reference.get("head.sa.gamma")[0], 0);
        double kaimingQuery = rms(kaiming.get("head.sa.query_conv.weight"));
        double referenceQuery = rms(reference.get("head.sa.query_conv.weight"));
        // width 8: layer4 64 channels, PAM 16 in, 2 query channels: sqrt(2/2) = 1 against 1/sqrt(3*16).
        assertEquals(1.0, kaimingQuery, 0.35);
        assertEquals(1 / Math.sqrt(48), referenceQuery, 0.05);
    }

    private static double rms(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v * v;
        }
        return Math.sqrt(s / values.length);
    }

    @Test
    void idsParseAndAnUnknownOneSaysWhatIsAccepted() {
        assertEquals(HeadInit.PYTORCH_DEFAULT, HeadInit.parse("pytorch-default"));
        assertEquals(HeadInit.KAIMING_FAN_OUT, HeadInit.parse(" Kaiming-Fan-Out "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeadInit.parse("xavier"));
        assertTrue(e.getMessage().contains("pytorch-default or kaiming-fan-out"), e.getMessage());
    }
}
