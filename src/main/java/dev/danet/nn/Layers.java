package dev.danet.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;

/** Factories for the standard layers, configured as their PyTorch counterparts. */
public final class Layers {

    private Layers() {}

    /** A k x k convolution with "same" padding for the given dilation, no bias. */
    public static Block conv(int outChannels, int kernel, int stride, int dilation) {
        int padding = dilation * (kernel - 1) / 2;
        return Conv2d.builder()
                .setFilters(outChannels)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optDilation(new Shape(dilation, dilation))
                .optBias(false)
                .build();
    }

    /** A 1 x 1 convolution with bias: the classifiers and the attention projections. */
    public static Block conv1x1WithBias(int outChannels) {
        return Conv2d.builder()
                .setFilters(outChannels)
                .setKernelShape(new Shape(1, 1))
                .optBias(true)
                .build();
    }

    /** torch.nn.BatchNorm2d with its defaults (momentum 0.1, epsilon 1e-5). */
    public static Block batchNorm() {
        return new BatchNorm2d();
    }

    /** conv 3x3 (no bias), BN, ReLU: the head's "conv5a"-style unit, keys .0 and .1. */
    public static Sequence convBnRelu(int outChannels) {
        return new Sequence().add(conv(outChannels, 3, 1, 1)).add(batchNorm()).add(new Relu());
    }

    /** Dropout2d(0.1) then a 1x1 classifier with bias: the head's "conv6"-style unit. */
    public static Sequence classifier(int classes) {
        return new Sequence().add(new Dropout2d(0.1)).add(conv1x1WithBias(classes));
    }
}
