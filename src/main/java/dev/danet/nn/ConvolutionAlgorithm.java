package dev.danet.nn;

import java.util.Locale;

/** How a network's 3x3 convolutions are computed in inference (see {@link ExecutionOptions}). */
public enum ConvolutionAlgorithm {
    /** libtorch's own choice (oneDNN): PyTorch's float32 numbers, to the last bits (3e-7 relative L2). */
    DIRECT("direct"),
    /**
     * Winograd's minimal filtering, F(6x6, 3x3), by NNPACK inside libtorch, for the float32
     * convolutions on the CPU with a 3x3 kernel, stride 1, no dilation, one group and at least
     * 512 input channels (a DANet's or FCN's head) on maps of at most 128x128, in inference:
     * 2.7 times as fast on the DANet head's 2048 -> 512 convolutions, a DANet-ResNet-50 at
     * 512x512 about 20% faster in all. Each such convolution rounds about 10 times as far from float64 as the direct one
     * (4e-6 against 3e-7), but this late in the network the output stays about as close to
     * float64 as PyTorch's float32 output (4.52e-4 against 4.50e-4 for a random DANet-ResNet-50;
     * 2.4 times as far, 1.5e-6, for a full-width ResNet-18 DANet); it is no longer PyTorch's
     * float32 output to the last bits (2e-5 apart for that ResNet-50). Any other convolution,
     * training, and a machine where NNPACK cannot run (it needs AVX2 on x86-64) use
     * {@link #DIRECT}.
     */
    WINOGRAD("winograd");

    private final String id;

    ConvolutionAlgorithm(String id) {
        this.id = id;
    }

    /** The name on the command line. */
    public String id() {
        return id;
    }

    /**
     * The algorithm named id (direct or winograd, any case).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static ConvolutionAlgorithm parse(String id) {
        for (ConvolutionAlgorithm algorithm : values()) {
            if (algorithm.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("convolution algorithm must be direct or winograd, got '" + id + "'");
    }
}
