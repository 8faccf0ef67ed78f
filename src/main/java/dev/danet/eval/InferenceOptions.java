package dev.danet.eval;

import dev.danet.data.Normalization;
import java.util.Arrays;

/**
 * How {@link SegmentationInference} turns one image into a score map: the reference DANet /
 * PyTorch-Encoding evaluation (MultiEvalModule), with its choices as explicit settings.
 *
 * <p>For each scale s the image is resized (bilinear, align_corners) so that its long side is
 * ceil(baseSize * s), the other side int(side * long / longSide + 0.5) as the reference
 * computes it. If that long side is at most {@code crop} the whole image is run at once;
 * otherwise crop x crop windows slide over it (see {@link SlidingWindows}), their scores
 * averaged where they overlap. Each scale's scores are resized to the original size and summed.
 *
 * @param scales the scales, e.g. {1.0} or {0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0}
 * @param flip also run the horizontally flipped input and add its scores, flipped back
 * @param crop window side for sliding-window inference
 * @param baseSize the long side at scale 1; 0 means each image's own long side (no resize at scale 1)
 * @param strideRatio window stride as a fraction of crop (reference: 2/3 single-scale, 1/2 multi-scale)
 * @param padValue what padded pixels hold
 * @param padSmallImages pad a whole image smaller than crop up to crop x crop before running it
 *     (the reference does; off, the model runs on the image as it is)
 * @param scoreKind what is averaged and summed: raw logits, or exp(logits) as the reference does
 */
public record InferenceOptions(
        double[] scales,
        boolean flip,
        int crop,
        int baseSize,
        double strideRatio,
        PadValue padValue,
        boolean padSmallImages,
        ScoreKind scoreKind) {

    /** The reference's multi-scale set (DANet adds 2.2 in some versions). */
    public static final double[] MULTI_SCALES = {0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0};

    /** Stride ratio the reference uses with one scale. */
    public static final double SINGLE_SCALE_STRIDE = 2.0 / 3.0;

    /** Stride ratio the reference uses with several scales. */
    public static final double MULTI_SCALE_STRIDE = 1.0 / 2.0;

    /** What padded pixels of the (normalised) input hold. */
    public enum PadValue {
        /** 0 in normalised space, i.e. the ImageNet mean colour (mmseg's choice). */
        MEAN_COLOUR,
        /** -mean/std in normalised space, i.e. a black pixel: what the reference's pad_image writes. */
        BLACK;

        /** The normalised value of a padded pixel in each of the 3 channels. */
        public float[] normalised() {
            float[] v = new float[3];
            if (this == BLACK) {
                for (int c = 0; c < 3; c++) {
                    v[c] = -Normalization.MEAN[c] / Normalization.STD[c];
                }
            }
            return v;
        }
    }

    /** What score maps hold while they are averaged over windows and summed over scales. */
    public enum ScoreKind {
        /** The model's logits as they come out (flip adds logits). */
        LOGITS,
        /**
         * exp(logits), applied after the flip sum and before window averaging, as the reference's
         * module_inference returns output.exp(). Same argmax as LOGITS for one scale and one
         * window; can differ when several scales or overlapping windows are combined.
         */
        EXP
    }

    public InferenceOptions {
        if (scales == null || scales.length == 0) {
            throw new IllegalArgumentException("at least one scale is needed");
        }
        scales = scales.clone();
        for (double s : scales) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("scales must be positive, got " + s);
            }
        }
        if (crop < 1) {
            throw new IllegalArgumentException("crop must be positive, got " + crop);
        }
        if (baseSize < 0) {
            throw new IllegalArgumentException("base size must be positive (or 0: the image's long side), got " + baseSize);
        }
        if (!(strideRatio > 0 && strideRatio <= 1)) {
            throw new IllegalArgumentException("stride ratio must be in (0, 1], got " + strideRatio);
        }
        if (padValue == null || scoreKind == null) {
            throw new IllegalArgumentException("pad value and score kind must be set");
        }
    }

    /**
     * The usual settings: the reference's stride for the number of scales, mean-colour padding,
     * no padding of small whole images, logits.
     */
    public static InferenceOptions of(double[] scales, boolean flip, int crop, int baseSize) {
        return new InferenceOptions(scales, flip, crop, baseSize, defaultStrideRatio(scales.length),
                PadValue.MEAN_COLOUR, false, ScoreKind.LOGITS);
    }

    /** Scale 1 only, no flip, each image at its own size: whole images smaller than crop give predict's output. */
    public static InferenceOptions singleScale(int crop) {
        return of(new double[] {1.0}, false, crop, 0);
    }

    /** 2/3 for one scale, 1/2 for several, as the reference. */
    public static double defaultStrideRatio(int scaleCount) {
        return scaleCount == 1 ? SINGLE_SCALE_STRIDE : MULTI_SCALE_STRIDE;
    }

    /**
     * The same settings with every remaining reference detail switched on: black padding,
     * small whole images padded to crop, exp(logits) scores.
     */
    public InferenceOptions referenceExact() {
        return new InferenceOptions(scales, flip, crop, baseSize, strideRatio, PadValue.BLACK, true, ScoreKind.EXP);
    }

    public InferenceOptions withStrideRatio(double ratio) {
        return new InferenceOptions(scales, flip, crop, baseSize, ratio, padValue, padSmallImages, scoreKind);
    }

    public InferenceOptions withPadValue(PadValue value) {
        return new InferenceOptions(scales, flip, crop, baseSize, strideRatio, value, padSmallImages, scoreKind);
    }

    public InferenceOptions withPadSmallImages(boolean pad) {
        return new InferenceOptions(scales, flip, crop, baseSize, strideRatio, padValue, pad, scoreKind);
    }

    public InferenceOptions withScoreKind(ScoreKind kind) {
        return new InferenceOptions(scales, flip, crop, baseSize, strideRatio, padValue, padSmallImages, kind);
    }

    @Override
    public double[] scales() {
        return scales.clone();
    }

    /** The window placement these options give. */
    public SlidingWindows windows() {
        return SlidingWindows.of(crop, strideRatio);
    }

    /**
     * The size (height, width) an image of the given size is resized to at a scale, computed
     * as the reference does: long side ceil(base * scale), short side rounded half up.
     */
    public int[] scaledSize(int height, int width, double scale) {
        int base = baseSize > 0 ? baseSize : Math.max(height, width);
        int longSize = (int) Math.ceil(base * scale);
        int h;
        int w;
        if (height > width) {
            h = longSize;
            w = (int) (1.0 * width * longSize / height + 0.5);
        } else {
            w = longSize;
            h = (int) (1.0 * height * longSize / width + 0.5);
        }
        return new int[] {Math.max(1, h), Math.max(1, w)};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InferenceOptions other && Arrays.equals(scales, other.scales) && flip == other.flip
                && crop == other.crop && baseSize == other.baseSize
                && Double.compare(strideRatio, other.strideRatio) == 0 && padValue == other.padValue
                && padSmallImages == other.padSmallImages && scoreKind == other.scoreKind;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(scales), flip, crop, baseSize, strideRatio, padValue,
                padSmallImages, scoreKind);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "scales %s%s, crop %d, base size %s, stride %d (%.3f of crop), pad %s%s, %s scores",
                Arrays.toString(scales), flip ? " + flip" : "", crop,
                baseSize > 0 ? String.valueOf(baseSize) : "the image's long side", windows().stride(), strideRatio,
                padValue == PadValue.BLACK ? "black" : "mean colour", padSmallImages ? " (small images padded to crop)" : "",
                scoreKind == ScoreKind.EXP ? "exp(logit)" : "logit");
    }
}
