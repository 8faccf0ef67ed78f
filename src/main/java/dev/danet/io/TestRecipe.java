package dev.danet.io;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * How a model's publisher evaluates it, saved with the model so that eval, segment and serve use
 * it without flags: the whole image at once, or sliding windows of {@code crop} with
 * {@code stride}; images first resized to fit {@code resizeLong} x {@code resizeShort} keeping
 * their aspect ratio (mmsegmentation's Resize with keep_ratio), 0 meaning "as they are".
 *
 * @param sliding sliding windows instead of the whole image
 * @param crop window side (sliding only)
 * @param stride window stride (sliding only)
 * @param resizeLong the long side's limit, 0 for none
 * @param resizeShort the short side's limit, 0 for none (with the reference convention, ignored: the
 *     reference resizes the long side alone)
 * @param convention whose resizing and window placement (mmsegmentation's unless said otherwise)
 */
public record TestRecipe(boolean sliding, int crop, int stride, int resizeLong, int resizeShort,
        Convention convention) {

    /** Whole images at their own size, as mmsegmentation's whole mode. */
    public static final TestRecipe WHOLE = new TestRecipe(false, 0, 0, 0, 0, Convention.MMSEG);

    /** Where the reference DANet and mmsegmentation test differently. */
    public enum Convention {
        /**
         * The reference (PyTorch-Encoding): images resized with aligned corners to a long side of
         * baseSize x scale; the last window of a row starts at a multiple of the stride and is
         * padded past the image's end.
         */
        REFERENCE,
        /**
         * mmsegmentation: images resized half-pixel (as cv2) to fit baseSize x fitShort, times the
         * scale; the last window is shifted back inside the image, never padded; scores resized
         * back half-pixel.
         */
        MMSEG
    }

    public TestRecipe {
        convention = convention == null ? Convention.MMSEG : convention;
        if (sliding && (crop < 1 || stride < 1 || stride > crop)) {
            throw new IllegalArgumentException("sliding windows need 1 <= stride <= crop, got crop " + crop
                    + ", stride " + stride);
        }
        if (resizeLong < 0 || resizeShort < 0) {
            throw new IllegalArgumentException("resize limits must be 0 or positive");
        }
    }

    public static TestRecipe slide(int crop, int stride) {
        return new TestRecipe(true, crop, stride, 0, 0, Convention.MMSEG);
    }

    public TestRecipe withResize(int longSide, int shortSide) {
        return new TestRecipe(sliding, crop, stride, longSide, shortSide, convention);
    }

    public TestRecipe withConvention(Convention newConvention) {
        return new TestRecipe(sliding, crop, stride, resizeLong, resizeShort, newConvention);
    }

    /** One line for `info` and logs. */
    @JsonIgnore
    public String describe() {
        String mode = sliding ? "sliding windows " + crop + " stride " + stride : "whole image";
        String resize = resizeLong == 0 && resizeShort == 0 ? ""
                : ", resized to fit " + (resizeLong > 0 ? resizeLong : "any") + " x " + (resizeShort > 0 ? resizeShort : "any");
        return mode + resize + (convention == Convention.REFERENCE ? " (reference DANet convention)" : "");
    }
}
