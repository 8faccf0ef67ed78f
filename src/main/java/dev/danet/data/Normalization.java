package dev.danet.data;

import java.util.Arrays;

/**
 * Per-channel input normalisation of RGB in [0, 1]: (x - mean) / std. Every model the project
 * knows uses ImageNet's statistics ({@link #IMAGENET}; mmsegmentation states the same numbers
 * on the 0-255 scale), but a model may carry its own (see {@code ModelCard}).
 *
 * @param mean per-channel mean, R G B, on the [0, 1] scale
 * @param std per-channel standard deviation, R G B, on the [0, 1] scale
 */
public record Normalization(float[] mean, float[] std) {

    /** ImageNet's statistics, as the reference, torchvision and mmsegmentation normalise. */
    public static final Normalization IMAGENET = new Normalization(
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public static final float[] MEAN = IMAGENET.mean();
    public static final float[] STD = IMAGENET.std();

    public Normalization {
        if (mean == null || std == null || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("normalisation needs 3 means and 3 standard deviations");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("standard deviations must be positive, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Statistics given on the 0-255 scale, as mmsegmentation configs state them. */
    public static Normalization ofBytes(double[] mean, double[] std) {
        float[] m = new float[3];
        float[] s = new float[3];
        for (int c = 0; c < 3; c++) {
            m[c] = (float) (mean[c] / 255);
            s[c] = (float) (std[c] / 255);
        }
        return new Normalization(m, s);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Normalised value of an 8-bit channel c. */
    public float apply(int value, int channel) {
        return (value / 255f - mean[channel]) / std[channel];
    }

    /** The whole picture as a normalised (3, H, W) float array. */
    public float[] chw(RgbImage image) {
        int plane = image.width() * image.height();
        float[] out = new float[3 * plane];
        byte[] rgb = image.rgb();
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                out[c * plane + i] = apply(rgb[3 * i + c] & 0xff, c);
            }
        }
        return out;
    }

    /** Normalised value of an 8-bit channel c with ImageNet's statistics. */
    public static float normalise(int value, int channel) {
        return IMAGENET.apply(value, channel);
    }

    /** The whole picture, normalised with ImageNet's statistics. */
    public static float[] toChw(RgbImage image) {
        return IMAGENET.chw(image);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
