package dev.danet.data;

import dev.danet.DanetException;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The training pipeline of the reference: random scale (the short side becomes
 * baseSize * s, s uniform in [minScale, maxScale]), padding to at least the crop (image 0,
 * label ignore), a random crop, a horizontal flip with probability 1/2, ImageNet normalisation.
 *
 * @param cropHeight output height
 * @param cropWidth output width
 * @param baseSize short side at scale 1
 * @param minScale smallest scale (reference 0.75, mmseg 0.5)
 * @param maxScale largest scale (2.0)
 * @param flip random horizontal flips
 */
public record Augmentation(int cropHeight, int cropWidth, int baseSize, double minScale, double maxScale,
        boolean flip) {

    public Augmentation {
        if (cropHeight < 1 || cropWidth < 1 || baseSize < 1) {
            throw new IllegalArgumentException("crop and base size must be positive");
        }
        if (!(minScale > 0 && minScale <= maxScale)) {
            throw new IllegalArgumentException("scale range must satisfy 0 < min <= max, got " + minScale + ".." + maxScale);
        }
    }

    /** A square crop. */
    public Augmentation(int crop, int baseSize, double minScale, double maxScale, boolean flip) {
        this(crop, crop, baseSize, minScale, maxScale, flip);
    }

    /**
     * The most pixels an image may have once scaled. The reference's largest (Cityscapes, base 1024,
     * scale 2) has 8.4 M; a thin strip scaled to the base size on its short side would have billions
     * (1 x 20000 pixels at base 1024: 1024 x 20480000), so such a sample is refused, not resized.
     */
    public static final long MAX_SCALED_PIXELS = 32_000_000L;

    /** The sample scaled, cropped, flipped; an image that would scale past the limit is refused. */
    public TrainSample apply(LabeledImage sample, SplittableRandom random) {
        RgbImage image = sample.image();
        double scale = minScale + (maxScale - minScale) * random.nextDouble();
        double factor = baseSize * scale / Math.min(image.width(), image.height());
        double scaledWidth = Math.max(1, Math.round(image.width() * factor));
        double scaledHeight = Math.max(1, Math.round(image.height() * factor));
        if (scaledWidth * scaledHeight > MAX_SCALED_PIXELS) {
            throw new DanetException(String.format(Locale.ROOT, "a %dx%d image would be resized to %.0fx%.0f for training"
                    + " (short side %d x scale %.2f), more than %d pixels; its aspect ratio is too extreme",
                    image.width(), image.height(), scaledWidth, scaledHeight, baseSize, scale, MAX_SCALED_PIXELS));
        }
        int width = (int) scaledWidth;
        int height = (int) scaledHeight;
        RgbImage scaled = Resize.bilinear(image, width, height);
        LabelGrid labels = Resize.nearest(sample.label(), width, height);
        int left = width > cropWidth ? random.nextInt(width - cropWidth + 1) : 0;
        int top = height > cropHeight ? random.nextInt(height - cropHeight + 1) : 0;
        boolean mirror = flip && random.nextBoolean();
        return cut(sample.id(), scaled, labels, left, top, mirror);
    }

    /** The crop window at (left, top), padded past the edges, optionally mirrored. */
    TrainSample cut(String id, RgbImage image, LabelGrid labels, int left, int top, boolean mirror) {
        int plane = cropHeight * cropWidth;
        float[] pixels = new float[3 * plane];
        int[] classes = new int[plane];
        float[] padding = {Normalization.normalise(0, 0), Normalization.normalise(0, 1), Normalization.normalise(0, 2)};
        byte[] rgb = image.rgb();
        for (int y = 0; y < cropHeight; y++) {
            int sy = top + y;
            for (int x = 0; x < cropWidth; x++) {
                int sx = left + (mirror ? cropWidth - 1 - x : x);
                int o = y * cropWidth + x;
                if (sy < image.height() && sx < image.width()) {
                    int s = sy * image.width() + sx;
                    for (int c = 0; c < 3; c++) {
                        pixels[c * plane + o] = Normalization.normalise(rgb[3 * s + c] & 0xff, c);
                    }
                    classes[o] = labels.values()[s];
                } else {
                    for (int c = 0; c < 3; c++) {
                        pixels[c * plane + o] = padding[c];
                    }
                    classes[o] = ClassSet.IGNORE;
                }
            }
        }
        return new TrainSample(id, cropWidth, cropHeight, pixels, classes);
    }
}
