package dev.danet.bench;

import dev.danet.nn.ModelConfig;

/**
 * Floating-point operations of the backbone's convolutions for an input size (2 per
 * multiply-add; BatchNorm, ReLU and pooling are memory-bound and left out), following the
 * topology that {@link dev.danet.nn.ResNet} builds: stem, then four stages of bottleneck or
 * basic blocks with their downsample shortcuts, strides and dilations.
 */
public final class BackboneFlops {

    private BackboneFlops() {}

    public static double of(ModelConfig config, int batch, int height, int width) {
        Counter c = new Counter(height, width);
        int w = config.width();
        if (config.deepStem()) {
            int inner = config.stem().innerChannels(w);
            c.conv(3, inner, 3, 2, 1);
            c.conv(inner, inner, 3, 1, 1);
            c.conv(inner, config.stem().outChannels(w), 3, 1, 1);
        } else {
            c.conv(3, w, 7, 2, 1);
        }
        c.pool(3, 2, 1);
        boolean os8 = config.outputStride() == 8;
        int[] strides = {1, 2, os8 ? 1 : 2, 1};
        int[] rates = {1, 1, os8 ? 2 : 1, os8 ? 4 : 2};
        int[] firstRates = {1, 1, 1, rates[2]};
        int channels = config.stem().outChannels(w);
        int expansion = config.backbone().expansion();
        for (int s = 0; s < 4; s++) {
            int planes = w << s;
            for (int b = 0; b < config.backbone().blocks(s); b++) {
                int stride = b == 0 ? strides[s] : 1;
                int rate = b == 0 ? firstRates[s] : rates[s];
                if (s == 3 && config.multiGrid()) {
                    rate = rates[3] * (1 << (b % 3));
                }
                int out = planes * expansion;
                double[] before = c.size();
                if (config.backbone().bottleneck()) {
                    c.conv(channels, planes, 1, 1, 1);
                    c.conv(planes, planes, 3, stride, rate);
                    c.conv(planes, out, 1, 1, 1);
                } else {
                    c.conv(channels, planes, 3, stride, rate);
                    c.conv(planes, planes, 3, 1, rate);
                }
                if (stride != 1 || channels != out) {
                    c.convFrom(before, channels, out, 1, stride);
                }
                channels = out;
            }
        }
        return c.flops * batch;
    }

    /** Walks the spatial size through the layers and adds up convolution work. */
    private static final class Counter {
        private double h;
        private double w;
        double flops;

        Counter(int height, int width) {
            h = height;
            w = width;
        }

        double[] size() {
            return new double[] {h, w};
        }

        /** A k x k convolution with "same" padding for its dilation, as Layers.conv builds it. */
        void conv(int in, int out, int k, int stride, int dilation) {
            int pad = dilation * (k - 1) / 2;
            h = Math.floor((h + 2 * pad - dilation * (k - 1) - 1) / stride) + 1;
            w = Math.floor((w + 2 * pad - dilation * (k - 1) - 1) / stride) + 1;
            flops += 2.0 * in * out * k * k * h * w;
        }

        /** The 1x1 shortcut, which reads the block's input size rather than the current one. */
        void convFrom(double[] inputSize, int in, int out, int k, int stride) {
            double oh = Math.floor((inputSize[0] - 1) / stride) + 1;
            double ow = Math.floor((inputSize[1] - 1) / stride) + 1;
            flops += 2.0 * in * out * k * k * oh * ow;
        }

        void pool(int k, int stride, int pad) {
            h = Math.floor((h + 2 * pad - k) / stride) + 1;
            w = Math.floor((w + 2 * pad - k) / stride) + 1;
        }
    }
}
