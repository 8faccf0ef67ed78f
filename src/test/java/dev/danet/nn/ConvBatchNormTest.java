package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Folding batch norm into the preceding convolution (for a network set to inference only) gives
 * the numbers of the two layers run apart, for every model part that has such pairs: the stem,
 * the residual units and their shortcuts, the heads.
 */
class ConvBatchNormTest {

    private static final ExecutionOptions FOLDING = ExecutionOptions.DEFAULTS.withFoldBatchNorms(true);

    /** Random, far-from-identity statistics and affine terms for every batch norm; attention switched on. */
    static void randomiseNorms(Network network, NDManager m) {
        Map<String, Parameter> parameters = network.parameters();
        for (String name : parameters.keySet()) {
            if (!name.endsWith(".running_mean")) {
                continue;
            }
            String norm = name.substring(0, name.length() - "running_mean".length());
            randomise(parameters.get(norm + "running_mean"), m, -0.5f, 0.5f);
            randomise(parameters.get(norm + "running_var"), m, 0.2f, 3f);
            randomise(parameters.get(norm + "weight"), m, 0.5f, 1.5f);
            randomise(parameters.get(norm + "bias"), m, -0.3f, 0.3f);
        }
        for (String scale : new String[] {"head.sa.gamma", "head.sc.gamma"}) {
            if (parameters.containsKey(scale)) {
                parameters.get(scale).getArray().addi(0.4);
            }
        }
    }

    private static void randomise(Parameter parameter, NDManager m, float low, float high) {
        NDArray a = parameter.getArray();
        NDArray values = m.randomUniform(low, high, a.getShape());
        if (a.getDataType() == DataType.FLOAT64) {
            a.set(values.toType(DataType.FLOAT64, false).toDoubleArray());
        } else {
            a.set(values.toFloatArray());
        }
    }

    private static double[] outputs(Network network, NDArray images, boolean fold) {
        network.setInferenceOnly(fold);
        return network.forwardAll(images, false).main().toType(DataType.FLOAT64, false).toDoubleArray();
    }

    @Test
    void foldedInferenceEqualsTheSeparateLayersInDoublePrecision() {
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET50, 4, true, 8, true, HeadType.DANET, true, 3);
        Engine.getInstance().setRandomSeed(21);
        try (Network network = Network.create(config, Device.cpu(), DataType.FLOAT64, FOLDING);
                NDManager m = network.manager().newSubManager()) {
            randomiseNorms(network, m);
            NDArray images = m.randomNormal(new Shape(2, 3, 40, 48)).toType(DataType.FLOAT64, false);
            double[] separate = outputs(network, images, false);
            double[] folded = outputs(network, images, true);
            assertEquals(separate.length, folded.length);
            double scale = 0;
            for (double v : separate) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0.1, "the outputs are not trivially small: " + scale);
            assertArrayEquals(separate, folded, 1e-10 * scale);
            assertFalse(Arrays.equals(separate, folded), "the folded path ran (its rounding differs in the last bits)");
        }
    }

    @Test
    void foldedInferenceIsCloseInSinglePrecisionForThePlainStemAndEveryHead() {
        for (HeadType head : HeadType.values()) {
            ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, head, true, 3);
            Engine.getInstance().setRandomSeed(22);
            try (Network network = Network.create(config, FOLDING); NDManager m = network.manager().newSubManager()) {
                randomiseNorms(network, m);
                NDArray images = m.randomNormal(new Shape(1, 3, 33, 41));
                double[] separate = outputs(network, images, false);
                double[] folded = outputs(network, images, true);
                double scale = 0;
                for (double v : separate) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertArrayEquals(separate, folded, 1e-5 * Math.max(scale, 1), head.id());
            }
        }
    }

    @Test
    void anInferenceOnlyNetworkRefusesToTrainAndTrainsAgainWithFreshFoldsOnceReleased() {
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.FCN, false, 3);
        Engine.getInstance().setRandomSeed(23);
        try (Network network = Network.create(config, FOLDING); NDManager m = network.manager().newSubManager()) {
            NDArray images = m.randomNormal(new Shape(2, 3, 32, 32));
            double[] before = outputs(network, images, true);
            IllegalStateException refused =
                    assertThrows(IllegalStateException.class, () -> network.forwardAll(images, true));
            assertTrue(refused.getMessage().contains("inference only"), refused.getMessage());

            network.setInferenceOnly(false);
            network.forwardAll(images, true); // a training pass moves the batch-norm statistics
            double[] separate = outputs(network, images, false);
            double[] folded = outputs(network, images, true);
            assertFalse(Arrays.equals(before, separate), "training changed the statistics");
            assertArrayEquals(separate, folded, 1e-5 * Arrays.stream(separate).map(Math::abs).max().orElse(1));
        }
    }

    @Test
    void withFoldingOffAnInferenceOnlyNetworkRunsTheLayersAsTheyAre() {
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.DANET, false, 3);
        Engine.getInstance().setRandomSeed(24);
        try (Network network = Network.create(config); NDManager m = network.manager().newSubManager()) {
            randomiseNorms(network, m);
            NDArray images = m.randomNormal(new Shape(1, 3, 32, 40));
            assertArrayEquals(outputs(network, images, false), outputs(network, images, true));
            assertTrue(network.isInferenceOnly());
        }
    }

    @Test
    void aViewWithOtherOptionsFoldsBesideTheNetworkThatDoesNot() {
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.DANET, false, 3);
        Engine.getInstance().setRandomSeed(25);
        try (Network network = Network.create(config, Device.cpu(), DataType.FLOAT64);
                NDManager m = network.manager().newSubManager()) {
            randomiseNorms(network, m);
            NDArray images = m.randomNormal(new Shape(1, 3, 32, 40)).toType(DataType.FLOAT64, false);
            double[] separate = outputs(network, images, false);
            double[] folded;
            try (Network view = network.withOptions(FOLDING)) {
                assertFalse(network.options().foldBatchNorms());
                assertTrue(view.options().foldBatchNorms());
                folded = outputs(view, images, true);
                assertArrayEquals(separate, outputs(network, images, true), "the network itself does not fold");
            }
            assertFalse(Arrays.equals(separate, folded), "the view's folded path ran");
            assertArrayEquals(separate, folded, 1e-10 * Arrays.stream(separate).map(Math::abs).max().orElse(1));
            assertArrayEquals(separate, outputs(network, images, false), "closing the view left the weights");
        }
    }

    @Test
    void onlyBiasFreeConvolutionsFollowedByANormAreFolded() {
        assertTrue(ConvBatchNorm.foldable(Layers.conv(8, 3, 1, 2), Layers.batchNorm()));
        assertFalse(ConvBatchNorm.foldable(Layers.conv1x1WithBias(8), Layers.batchNorm()));
        assertFalse(ConvBatchNorm.foldable(Layers.conv(8, 3, 1, 1), new Relu()));
        assertFalse(ConvBatchNorm.foldable(new Sequence().add(Layers.conv(8, 3, 1, 1)), Layers.batchNorm()));
    }
}
