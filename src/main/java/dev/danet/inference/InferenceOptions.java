package dev.danet.inference;

import dev.danet.data.Normalization;
import dev.danet.io.TestRecipe;
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
 * @param fitShort with mmseg's convention, a bound on the short side at scale 1 (with baseSize the
 *     long side's bound, mmseg's Resize(scale=(long, short), keep_ratio=True)); 0 for none
 * @param convention whose details to follow where the reference and mmsegmentation differ
 */
public record InferenceOptions(
        double[] scales,
        boolean flip,
        int crop,
        int baseSize,
        double strideRatio,
        PadValue padValue,
        boolean padSmallImages,
        ScoreKind scoreKind,
        int fitShort,
        TestRecipe.Convention convention) {

    /** A crop no image reaches: every image runs whole. */
    public static final int WHOLE_IMAGE = Integer.MAX_VALUE;

    /** The options that run a publisher's recipe (see {@link TestRecipe}) at these scales. */
    public static InferenceOptions fromRecipe(TestRecipe recipe, double[] scales, boolean flip) {
        int crop = recipe.sliding() ? recipe.crop() : WHOLE_IMAGE;
        double ratio = recipe.sliding() ? (double) recipe.stride() / recipe.crop() : defaultStrideRatio(scales.length);
        return new InferenceOptions(scales, flip, crop, recipe.resizeLong(), ratio, PadValue.MEAN_COLOUR, false,
                ScoreKind.LOGITS, recipe.resizeShort(), recipe.convention());
    }

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
        if (padValue == null || scoreKind == null || convention == null) {
            throw new IllegalArgumentException("pad value, score kind and convention must be set");
        }
        if (fitShort < 0) {
            throw new IllegalArgumentException("the short side's bound must be 0 or positive, got " + fitShort);
        }
    }

    /**
     * The usual settings: the reference's stride for the number of scales, mean-colour padding,
     * no padding of small whole images, logits.
     */
    public static InferenceOptions of(double[] scales, boolean flip, int crop, int baseSize) {
        return new InferenceOptions(scales, flip, crop, baseSize, defaultStrideRatio(scales.length),
                PadValue.MEAN_COLOUR, false, ScoreKind.LOGITS, 0, TestRecipe.Convention.REFERENCE);
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
        return new InferenceOptions(scales, flip, crop, baseSize, strideRatio, PadValue.BLACK, true, ScoreKind.EXP,
                fitShort, convention);
    }

    public InferenceOptions withStrideRatio(double ratio) {
        return new InferenceOptions(scales, flip, crop, baseSize, ratio, padValue, padSmallImages, scoreKind, fitShort,
                convention);
    }

    public InferenceOptions withPadValue(PadValue value) {
        return new InferenceOptions(scales, flip, crop, baseSize, strideRatio, value, padSmallImages, scoreKind, fitShort,
                convention);
    }

    public InferenceOptions withPadSmallImages(boolean pad) {
        return new InferenceOptions(scales, flip, crop, baseSize, strideRatio, padValue, pad, scoreKind, fitShort,
                convention);
    }

    public InferenceOptions withScoreKind(ScoreKind kind) {
        return new InferenceOptions(scales, flip, crop, baseSize, strideRatio, padValue, padSmallImages, kind, fitShort,
                convention);
    }

    @Override
    public double[] scales() {
        return scales.clone();
    }

    /** The window placement these options give. */
    public SlidingWindows windows() {
        SlidingWindows windows = SlidingWindows.of(crop == WHOLE_IMAGE ? 1 : crop, strideRatio);
        return convention == TestRecipe.Convention.MMSEG ? windows.keptInside() : windows;
    }

    /** Whether an image of this (scaled) size runs whole, not as windows. */
    public boolean runsWhole(int height, int width) {
        return Math.max(height, width) <= crop;
    }

    /**
     * How many times the model runs on an image of the given size: per scale one whole-image run
     * or one run per sliding window, twice with flip. Each window is crop x crop whatever part
     * of it the image fills, so the cost of an image is this count, not its pixel count.
     */
    public long modelRuns(int height, int width) {
        SlidingWindows windows = windows();
        long runs = 0;
        for (double scale : scales) {
            int[] size = scaledSize(height, width, scale);
            runs += runsWhole(size[0], size[1]) ? 1 : (long) windows.count(size[0]) * windows.count(size[1]);
        }
        return flip ? 2 * runs : runs;
    }

    /**
     * The size (height, width) an image of the given size is resized to at a scale, computed
     * as the reference does: long side ceil(base * scale), short side rounded half up.
     */
    public int[] scaledSize(int height, int width, double scale) {
        if (convention == TestRecipe.Convention.MMSEG) {
            double longFactor = baseSize > 0 ? (double) baseSize / Math.max(height, width) : Double.MAX_VALUE;
            double shortFactor = fitShort > 0 ? (double) fitShort / Math.min(height, width) : Double.MAX_VALUE;
            double factor = (longFactor == Double.MAX_VALUE && shortFactor == Double.MAX_VALUE ? 1
                    : Math.min(longFactor, shortFactor)) * scale;
            return new int[] {Math.max(1, (int) (height * factor + 0.5)), Math.max(1, (int) (width * factor + 0.5))};
        }
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
                && padSmallImages == other.padSmallImages && scoreKind == other.scoreKind
                && fitShort == other.fitShort && convention == other.convention;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(scales), flip, crop, baseSize, strideRatio, padValue,
                padSmallImages, scoreKind, fitShort, convention);
    }

    @Override
    public String toString() {
        if (convention == TestRecipe.Convention.MMSEG) {
            String windows = crop == WHOLE_IMAGE ? "whole image"
                    : "sliding windows " + crop + " stride " + windows().stride() + " (kept inside the image)";
            String fit = baseSize == 0 && fitShort == 0 ? "at its own size"
                    : "resized to fit " + (baseSize > 0 ? baseSize : "any") + " x " + (fitShort > 0 ? fitShort : "any");
            return String.format(java.util.Locale.ROOT, "mmseg recipe: scales %s%s, %s, %s, logit scores",
                    Arrays.toString(scales), flip ? " + flip" : "", windows, fit);
        }
        return String.format(java.util.Locale.ROOT,
                "scales %s%s, crop %s, base size %s, stride %d (%.3f of crop), pad %s%s, %s scores",
                Arrays.toString(scales), flip ? " + flip" : "", crop == WHOLE_IMAGE ? "none (whole image)" : crop,
                baseSize > 0 ? String.valueOf(baseSize) : "the image's long side", windows().stride(), strideRatio,
                padValue == PadValue.BLACK ? "black" : "mean colour", padSmallImages ? " (small images padded to crop)" : "",
                scoreKind == ScoreKind.EXP ? "exp(logit)" : "logit");
    }
}
