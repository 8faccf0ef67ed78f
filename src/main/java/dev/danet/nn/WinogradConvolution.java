package dev.danet.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * 3x3 convolutions by NNPACK's Winograd kernels, which libtorch carries (on x86-64 with AVX2)
 * but picks by itself only for batches of 16 and more; reached through a {@link ScriptModule}
 * that calls {@code _nnpack_spatial_convolution}. See {@link ConvolutionAlgorithm#WINOGRAD}.
 */
final class WinogradConvolution {

    private static final String CLASS_NAME = "DanetWinograd";
    private static final String METHODS = String.join("\n",
            "  def available(self: __torch__." + CLASS_NAME + ") -> bool:",
            "    return torch._nnpack_available()",
            "  def convolve(self: __torch__." + CLASS_NAME + ", x: Tensor, weight: Tensor, bias: Tensor,"
                    + " padding: List[int]) -> Tensor:",
            "    return torch._nnpack_spatial_convolution(x, weight, bias, padding, [1, 1])",
            "  def convolve_without_bias(self: __torch__." + CLASS_NAME + ", x: Tensor, weight: Tensor,"
                    + " padding: List[int]) -> Tensor:",
            "    return torch._nnpack_spatial_convolution(x, weight, None, padding, [1, 1])",
            "");

    /**
     * Narrower convolutions stay direct. Measured on a DANet-ResNet-50 at 512x512 (docs/performance.md,
     * change 12): Winograd on every eligible convolution took 1728 ms, on those with at least 512
     * input channels (the head's four) 1692 ms, direct 2136 ms; and the backbone's narrow ones
     * (layer1 and layer2), whose rounding errors every later layer amplifies, brought the output's
     * error against float64 from PyTorch's float32 level (4.5e-4) to 2.1e-3, the head's alone
     * to 4.5e-4.
     */
    static final long MIN_INPUT_CHANNELS = 512;

    /**
     * Larger maps stay direct: NNPACK keeps a workspace per calling thread that grows with the
     * map (about 180 MB for 2048 channels at 128x256, a 1024x2048 input's head), and there it
     * took a one-pass 1024x2048 inference from 2.10 GB to 2.32-2.55 GB peak, past the 2.5 GB the
     * project promises. Up to 128x128 (a 1024x1024 input) the peak stays as direct's.
     */
    static final long MAX_POSITIONS = 128 * 128;

    private static final Shape THREE_BY_THREE = new Shape(3, 3);
    private static final Shape ONE_BY_ONE = new Shape(1, 1);

    private WinogradConvolution() {}

    /** The compiled module, or null where it cannot run; made on first use. */
    private static final class Kernels {
        static final ScriptModule MODULE = load();

        private static ScriptModule load() {
            try {
                // A manager of its own that lives as long as the process, as the module does.
                ScriptModule module = ScriptModule.compile(CLASS_NAME, METHODS, NDManager.newBaseManager("PyTorch"));
                return module.callBoolean("available") ? module : null;
            } catch (RuntimeException | LinkageError e) {
                return null; // another engine, or a libtorch without NNPACK: the direct path serves
            }
        }
    }

    /** Whether NNPACK runs on this machine (libtorch built with it, a CPU it supports). */
    static boolean available() {
        return Kernels.MODULE != null;
    }

    /**
     * Whether conv(x) is computed here under these options: Winograd asked for, not a training
     * pass and no autograd graph recorded (the module's outputs are libtorch inference tensors,
     * which a backward pass cannot use), a 3x3 kernel with stride 1, no dilation, one group and
     * padding below 3, at least {@link #MIN_INPUT_CHANNELS} input channels, at most
     * {@link #MAX_POSITIONS} positions, float32 on the CPU, and NNPACK available.
     */
    static boolean applies(Conv2d conv, NDArray x, ExecutionOptions options, boolean training) {
        return options.convolutionAlgorithm() == ConvolutionAlgorithm.WINOGRAD
                && !training
                && conv.getGroups() == 1
                && conv.getKernelShape().equals(THREE_BY_THREE)
                && conv.getStride().equals(ONE_BY_ONE)
                && conv.getDilation().equals(ONE_BY_ONE)
                && conv.getPadding().get(0) < 3 && conv.getPadding().get(1) < 3
                && x.getDataType() == DataType.FLOAT32
                && x.getDevice().getDeviceType().equals(Device.Type.CPU)
                && x.getShape().dimension() == 4
                && x.getShape().get(1) >= MIN_INPUT_CHANNELS
                && x.getShape().get(2) * x.getShape().get(3) <= MAX_POSITIONS
                && !GradMode.isRecording()
                && available();
    }

    /** conv(x) with this weight and bias (null: none), for a conv that {@link #applies}. */
    static NDArray apply(Conv2d conv, NDArray x, NDArray weight, NDArray bias) {
        long[] padding = conv.getPadding().getShape();
        return bias == null
                ? Kernels.MODULE.callTensor("convolve_without_bias", x.getManager(), x, weight, padding)
                : Kernels.MODULE.callTensor("convolve", x.getManager(), x, weight, bias, padding);
    }
}
