package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear resizing of NCHW maps as PyTorch's F.interpolate(mode='bilinear') without
 * antialiasing, with align_corners=True (the reference DANet) or False (torchvision,
 * mmsegmentation's default). DJL's interpolation ignores align_corners, so this computes the
 * same function as two matrix products, out = Ry . x . Rx^T, which is exact and differentiable.
 */
public final class BilinearResize {

    private BilinearResize() {}

    public static NDArray alignCorners(NDArray x, long outHeight, long outWidth) {
        return resize(x, outHeight, outWidth, true);
    }

    public static NDArray resize(NDArray x, long outHeight, long outWidth, boolean alignCorners) {
        Shape shape = x.getShape();
        long height = shape.get(shape.dimension() - 2);
        long width = shape.get(shape.dimension() - 1);
        if (height == outHeight && width == outWidth) {
            return x;
        }
        NDManager manager = x.getManager();
        NDArray rows = weights(manager, outHeight, height, x.getDataType(), alignCorners);
        NDArray cols = weights(manager, outWidth, width, x.getDataType(), alignCorners).transpose();
        return rows.matMul(x).matMul(cols);
    }

    static NDArray weights(NDManager manager, long out, long in, DataType type) {
        return weights(manager, out, in, type, true);
    }

    /**
     * The (out, in) matrix whose row i holds the two weights that output position i takes
     * from the input, sampled at i * (in - 1) / (out - 1) with aligned corners, else at
     * (i + 0.5) * in / out - 0.5 clamped at 0 (PyTorch's area_pixel_compute_source_index).
     */
    static NDArray weights(NDManager manager, long out, long in, DataType type, boolean alignCorners) {
        double[] w = new double[Math.toIntExact(out * in)];
        double scale = alignCorners ? (out > 1 ? (double) (in - 1) / (out - 1) : 0) : (double) in / out;
        for (int i = 0; i < out; i++) {
            double source = alignCorners ? i * scale : Math.max(0, (i + 0.5) * scale - 0.5);
            int lower = (int) Math.min(Math.floor(source), in - 1);
            int upper = (int) Math.min(lower + 1, in - 1);
            double frac = source - lower;
            w[Math.toIntExact(i * in + lower)] += 1 - frac;
            w[Math.toIntExact(i * in + upper)] += frac;
        }
        return manager.create(w, new Shape(out, in)).toType(type, false);
    }
}
