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
            NDArray x = m.randomNormal(new Shape(2, 512, 13, 17));
            NDArray weight = m.randomNormal(new Shape(8, 512, 3, 3)).mul(0.02);
            NDArray bias = m.randomNormal(new Shape(8));
            assertEquals(WinogradConvolution.available(), WinogradConvolution.applies(conv, x, WINOGRAD, false));
            Shape one = new Shape(1, 1);
            NDArray exact = Conv2d.conv2d(x.toType(DataType.FLOAT64, false), weight.toType(DataType.FLOAT64, false),
                    bias.toType(DataType.FLOAT64, false), one, one, one, 1).singletonOrThrow();
            NDArray direct = Conv2d.conv2d(x, weight, bias, one, one, one, 1).singletonOrThrow();
            assertTrue(relativeL2(direct, exact) < 1e-6, "direct against float64: " + relativeL2(direct, exact));
            if (!WinogradConvolution.available()) {
                return; // applies() is false above, so every caller takes the direct path checked here
            }
            NDArray winograd = WinogradConvolution.apply(conv, x, weight, bias);
            NDArray withoutBias = WinogradConvolution.apply(conv, x, weight, null);
            assertEquals(direct.getShape(), winograd.getShape());
            assertTrue(relativeL2(winograd, exact) < 1e-5, "winograd against float64: " + relativeL2(winograd, exact));
            assertFalse(winograd.contentEquals(direct), "rounded differently, so the Winograd kernels did run");
            NDArray unbiased = withoutBias.add(bias.reshape(1, 8, 1, 1));
            assertTrue(relativeL2(unbiased, exact) < 1e-5, "without the bias: " + relativeL2(unbiased, exact));
        }
    }

    @Test
    void winogradTakesOnlyWideStrideOneUndilatedThreeByThreeFloatInferenceWhenAsked() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.randomNormal(new Shape(1, WinogradConvolution.MIN_INPUT_CHANNELS, 8, 8));
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
            NDArray narrow = m.randomNormal(new Shape(1, WinogradConvolution.MIN_INPUT_CHANNELS / 2, 8, 8));
            assertFalse(WinogradConvolution.applies(eligible, narrow, WINOGRAD, false), "narrow");
            long side = (long) Math.sqrt(WinogradConvolution.MAX_POSITIONS);
            NDArray largest = m.zeros(new Shape(1, WinogradConvolution.MIN_INPUT_CHANNELS, side, side));
            NDArray larger = m.zeros(new Shape(1, WinogradConvolution.MIN_INPUT_CHANNELS, side, side + 1));
            assertEquals(WinogradConvolution.available(), WinogradConvolution.applies(eligible, largest, WINOGRAD, false));
            assertFalse(WinogradConvolution.applies(eligible, larger, WINOGRAD, false), "a larger map");
        }
    }

    private static NDArray output(Network network, NDArray images) {
        return network.forwardAll(images, false).main().toType(DataType.FLOAT64, false);
    }

    @Test
    void aNetworkRunWithWinogradIsAsCloseToDoublePrecisionAsItsDirectRun() {
        // DANet on a full-width ResNet-18: the head's conv5a and conv5c (512 input channels) qualify.
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 64, false, 8, false, HeadType.DANET, false, 5);
        Engine.getInstance().setRandomSeed(13);
        try (Network direct = Network.create(config, Device.cpu(), DataType.FLOAT32, DIRECT);
                Network winograd = direct.withOptions(WINOGRAD);
                Network exact = Network.create(config, Device.cpu(), DataType.FLOAT64, DIRECT);
                Network exactWinograd = exact.withOptions(WINOGRAD);
                NDManager m = direct.manager().newSubManager()) {
            ConvBatchNormTest.randomiseNorms(direct, m); // attention switched on, statistics far from identity
            direct.parameters().forEach((name, p) -> exact.parameters().get(name).getArray()
                    .set(p.getArray().toType(DataType.FLOAT64, false).toDoubleArray()));
            NDArray images = m.randomNormal(new Shape(1, 3, 64, 80));
            NDArray reference = output(exact, images.toType(DataType.FLOAT64, false));
            assertTrue(reference.abs().max().getDouble() > 0, "outputs not all zero");
            double directError = relativeL2(output(direct, images), reference);
            double winogradError = relativeL2(output(winograd, images), reference);
            double apart = relativeL2(output(winograd, images), output(direct, images));
            System.out.printf("against float64: direct %.2e, winograd %.2e; apart %.2e%n", directError, winogradError,
                    apart);
            assertTrue(winogradError <= 3 * directError, "the project's parity rule: " + winogradError + " against "
                    + directError);
            if (WinogradConvolution.available()) {
                assertNotEquals(0.0, apart, "the Winograd kernels ran");
            } else {
                assertEquals(0.0, apart, "no NNPACK here: the direct path ran");
            }
            assertArrayEquals(reference.toDoubleArray(),
                    output(exactWinograd, images.toType(DataType.FLOAT64, false)).toDoubleArray(),
                    "float64 always runs direct");
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
