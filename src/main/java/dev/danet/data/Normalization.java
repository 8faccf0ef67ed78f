package dev.danet.data;

/** ImageNet mean/std normalisation of RGB in [0, 1], as the reference and torchvision use. */
public final class Normalization {

    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private Normalization() {}

    /** Normalised value of an 8-bit channel c. */
    public static float normalise(int value, int channel) {
        return (value / 255f - MEAN[channel]) / STD[channel];
    }

    /** The whole picture as a normalised (3, H, W) float array. */
    public static float[] toChw(RgbImage image) {
        int plane = image.width() * image.height();
        float[] out = new float[3 * plane];
        byte[] rgb = image.rgb();
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                out[c * plane + i] = normalise(rgb[3 * i + c] & 0xff, c);
            }
        }
        return out;
    }
}
