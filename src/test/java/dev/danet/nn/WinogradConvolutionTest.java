package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.junit.jupiter.api.Test;

/**
 * 3x3 convolutions by NNPACK's Winograd kernels: as accurate as libtorch's own convolution in
 * float32, taken only where they apply (inference, 3x3, stride 1, no dilation, float32 on the
 * CPU), and a network run with them gives its direct outputs within float32 rounding. Where
 * NNPACK cannot run on the machine, every convolution must fall back to the direct one, and the
 * tests check that instead.
 */
class WinogradConvolutionTest {

    private static final ExecutionOptions WINOGRAD =
            ExecutionOptions.DEFAULTS.withConvolutionAlgorithm(ConvolutionAlgorithm.WINOGRAD);
    private static final ExecutionOptions DIRECT =
            ExecutionOptions.DEFAULTS.withConvolutionAlgorithm(ConvolutionAlgorithm.DIRECT);

    private static Conv2d conv(int kernel, int stride, int dilation) {
        return Conv2d.builder().setFilters(8).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optDilation(new Shape(dilation, dilation))
                .optPadding(new Shape(dilation * (kernel - 1) / 2, dilation * (kernel - 1) / 2)).optBias(false)
                .build();
    }

    private static double relativeL2(NDArray a, NDArray reference) {
        NDArray r = reference.toType(DataType.FLOAT64, false);
        return a.toType(DataType.FLOAT64, false).sub(r).norm().getDouble() / r.norm().getDouble();
    }

    @Test
    void winogradIsAsAccurateAsTheDirectConvolutionAgainstDoublePrecision() {
        Conv2d conv = conv(3, 1, 1);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Engine.getInstance().setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(2, 64, 23, 30));
            NDArray weight = m.randomNormal(new Shape(8, 64, 3, 3)).mul(0.05);
            NDArray bias = m.randomNormal(new Shape(8));
            assertTrue(WinogradConvolution.applies(conv, x, WINOGRAD, false) == WinogradConvolution.available());
            Shape one = new Shape(1, 1);
            NDArray exact = Conv2d.conv2d(x.toType(DataType.FLOAT64, false), weight.toType(DataType.FLOAT64, false),
                    bias.toType(DataType.FLOAT64, false), one, one, one, 1).singletonOrThrow();
            NDArray direct = Conv2d.conv2d(x, weight, bias, one, one, one, 1).singletonOrThrow();
            if (!WinogradConvolution.available()) {
                return; // nothing else runs here: applies() is false above, so every caller takes the direct path
            }
            NDArray winograd = WinogradConvolution.apply(conv, x, weight, bias);
            NDArray withoutBias = WinogradConvolution.apply(conv, x, weight, null);
            assertEquals(direct.getShape(), winograd.getShape());
            assertTrue(relativeL2(winograd, exact) < 1e-5, "winograd against float64: " + relativeL2(winograd, exact));
            assertTrue(relativeL2(direct, exact) < 1e-6, "direct against float64: " + relativeL2(direct, exact));
            assertFalse(winograd.contentEquals(direct), "rounded differently, so the Winograd kernels did run");
            NDArray unbiased = withoutBias.add(bias.reshape(1, 8, 1, 1));
            assertTrue(relativeL2(unbiased, exact) < 1e-5, "without the bias: " + relativeL2(unbiased, exact));
        }
    }

    @Test
    void winogradTakesOnlyStrideOneUndilatedThreeByThreeFloatInferenceWhenAsked() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.randomNormal(new Shape(1, 4, 16, 16));
            Conv2d eligible = conv(3, 1, 1);
            assertEquals(WinogradConvolution.available(), WinogradConvolution.applies(eligible, x, WINOGRAD, false));
            assertFalse(WinogradConvolution.applies(eligible, x, DIRECT, false), "not asked for");
            assertFalse(WinogradConvolution.applies(eligible, x, WINOGRAD, true), "training");
            assertFalse(WinogradConvolution.applies(conv(3, 2, 1), x, WINOGRAD, false), "stride 2");
            assertFalse(WinogradConvolution.applies(conv(3, 1, 2), x, WINOGRAD, false), "dilation 2");
            assertFalse(WinogradConvolution.applies(conv(1, 1, 1), x, WINOGRAD, false), "1x1");
            assertFalse(WinogradConvolution.applies(conv(7, 1, 1), x, WINOGRAD, false), "7x7");
            assertFalse(WinogradConvolution.applies(eligible, x.toType(DataType.FLOAT64, false), WINOGRAD, false),
                    "float64");
        }
    }

    private static float[] output(Network network, NDArray images) {
        return network.forwardAll(images, false).main().toFloatArray();
    }

    @Test
    void aNetworkRunWithWinogradGivesItsDirectOutputsWithinFloatRounding() {
        // DANet on a basic-block ResNet at output stride 16: layer1-3's and the head's 3x3 convolutions qualify.
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 8, false, 16, false, HeadType.DANET, false, 5);
        Engine.getInstance().setRandomSeed(13);
        try (Network direct = Network.create(config, Device.cpu(), DataType.FLOAT32, DIRECT);
                Network winograd = direct.withOptions(WINOGRAD);
                NDManager m = direct.manager().newSubManager()) {
            NDArray images = m.randomNormal(new Shape(1, 3, 64, 80));
            float[] exact = output(direct, images);
            float[] fast = output(winograd, images);
            double difference = 0;
            double norm = 0;
            for (int i = 0; i < exact.length; i++) {
                difference += (fast[i] - exact[i]) * (double) (fast[i] - exact[i]);
                norm += exact[i] * (double) exact[i];
            }
            double relative = Math.sqrt(difference / norm);
            assertTrue(norm > 0, "outputs not all zero");
            assertTrue(relative < 1e-5, "winograd against direct: " + relative);
            if (WinogradConvolution.available()) {
                assertNotEquals(0.0, relative, "the Winograd kernels ran");
            } else {
                assertEquals(0.0, relative, "no NNPACK here: the direct path ran");
            }
            NDArray images64 = images.toType(DataType.FLOAT64, false);
            try (Network direct64 = Network.create(config, Device.cpu(), DataType.FLOAT64, DIRECT);
                    Network winograd64 = direct64.withOptions(WINOGRAD)) {
                assertArrayEquals(direct64.forwardAll(images64, false).main().toDoubleArray(),
                        winograd64.forwardAll(images64, false).main().toDoubleArray(), "float64 always runs direct");
            }
        }
    }

    @Test
    void aScriptModuleCompilesSourceWrittenHereAndReportsErrorsInIt() {
        String methods = "  def twice_plus(self: __torch__.Probe, x: Tensor, y: Tensor, k: int) -> Tensor:\n"
                + "    return x * 2 + y * k\n";
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            ScriptModule module = ScriptModule.compile("Probe", methods, m);
            NDArray x = m.create(new float[] {1, 2, 3});
            NDArray y = m.create(new float[] {10, 20, 30});
            NDArray result = module.callTensor("twice_plus", m, x, y, 3L);
            assertArrayEquals(new float[] {32, 64, 96}, result.toFloatArray());
            assertThrows(EngineException.class, () -> ScriptModule.compile("Broken",
                    "  def f(self: __torch__.Broken, x: Tensor) -> Tensor:\n    return no_such_name(x)\n", m));
        }
    }
}
