package dev.danet.nn;

import java.util.Locale;

/** How a network's 3x3 convolutions are computed in inference (see {@link ExecutionOptions}). */
public enum ConvolutionAlgorithm {
    /** libtorch's own choice (oneDNN): PyTorch's float32 numbers, to the last bits. */
    DIRECT("direct"),
    /**
     * Winograd's minimal filtering, F(6x6, 3x3), by NNPACK inside libtorch, for every float32
     * convolution on the CPU with a 3x3 kernel, stride 1, no dilation and one group, in
     * inference: about 2.7 times as fast on the DANet head's 2048 -> 512 convolutions (a
     * DANet-ResNet-50 at 512x512 about 20% faster in all), but less accurate: a few 1e-6 relative
     * error per convolution instead of a few 1e-7, and 3-10 times PyTorch's float32 error
     * against float64 on whole networks. Any other convolution, training, and a machine where
     * NNPACK cannot run (it needs AVX2 on x86-64) fall back to {@link #DIRECT}.
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
