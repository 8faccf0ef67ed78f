package dev.danet.nn;

/**
 * How many parameters a configuration needs at least, counted from the configuration alone,
 * before anything is allocated: the weights of the backbone's convolutions (downsampling
 * shortcuts left out) and of the head's first 3x3 convolution and classifier. Everything else
 * (batch norms, biases, attention, the auxiliary head, scale attention) only adds to it, so
 * {@link Network#parameterCount()} is never below it. Counts that would overflow saturate at
 * {@link Long#MAX_VALUE}.
 */
public final class ParameterFloor {

    private ParameterFloor() {}

    /** The backbone's and the head's parameters, at least. */
    public static long of(ModelConfig config) {
        return saturated(() -> Math.addExact(backboneConvolutions(config), headConvolutions(config)));
    }

    /** The backbone's parameters, at least. */
    public static long backbone(ModelConfig config) {
        return saturated(() -> backboneConvolutions(config));
    }

    private static long backboneConvolutions(ModelConfig config) {
        long width = config.width();
        Stem stem = config.stem();
        // The stem's channels as Stem gives them, in long arithmetic (2 x width overflows an int).
        long channels = stem == Stem.DEEP ? 2 * width : width;
        long count;
        if (stem.deep()) {
            long inner = stem == Stem.DEEP ? width : Math.max(1, width / 2);
            count = sum(conv(3, inner, 3), conv(inner, inner, 3), conv(inner, channels, 3));
        } else {
            count = conv(3, width, 7);
        }
        ResNetDepth depth = config.backbone();
        for (int s = 0; s < 4; s++) {
            long planes = Math.multiplyExact(width, 1L << s);
            long out = Math.multiplyExact(planes, depth.expansion());
            for (int b = 0; b < depth.blocks(s); b++) {
                count = Math.addExact(count, depth.bottleneck()
                        ? sum(conv(channels, planes, 1), conv(planes, planes, 3), conv(planes, out, 1))
                        : sum(conv(channels, planes, 3), conv(planes, planes, 3)));
                channels = out;
            }
        }
        return count;
    }

    /** Every head reduces layer4's features to its branch width with a 3x3 convolution, then classifies. */
    private static long headConvolutions(ModelConfig config) {
        long features = Math.multiplyExact(Math.multiplyExact(8L, config.width()), config.backbone().expansion());
        long inter = config.headChannels() != null ? config.headChannels() : features / 4;
        return sum(conv(features, inter, 3), conv(inter, config.classes(), 1));
    }

    private static long conv(long in, long out, int kernel) {
        return Math.multiplyExact(Math.multiplyExact(in, out), (long) kernel * kernel);
    }

    private static long sum(long... terms) {
        long total = 0;
        for (long t : terms) {
            total = Math.addExact(total, t);
        }
        return total;
    }

    private static long saturated(java.util.function.LongSupplier count) {
        try {
            return count.getAsLong();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
