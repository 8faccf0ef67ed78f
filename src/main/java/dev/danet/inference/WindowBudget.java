package dev.danet.inference;

import dev.danet.data.ImageProblem;

/**
 * The most windows (model runs, {@link InferenceOptions#modelRuns}) one image may take. A pixel limit
 * alone does not bound the work: every sliding window is crop x crop however little of it the
 * image fills, so a 1 x 12,000,000 strip, no more pixels than a 3464 x 3464 photo, would need
 * 35,000 windows of 512 x 512 where the photo needs 100. Checked from the size alone, before
 * anything runs.
 *
 * @param options how images are run (scales, flip, windows)
 * @param maxWindows the bound, at least 1
 */
public record WindowBudget(InferenceOptions options, long maxWindows) {

    public WindowBudget {
        if (maxWindows < 1) {
            throw new IllegalArgumentException("the window limit must be positive, got " + maxWindows);
        }
    }

    /**
     * Twice the windows a square image of maxPixels takes. No image within the pixel limit whose
     * short side is at least the crop is refused (their windows overlap the image's end; at most
     * 1.7 times the square's count, checked for 1 to 100 megapixels and the usual crops and
     * strides), while a strip thinner than the crop may cost no more than that.
     */
    public static WindowBudget forPixelLimit(InferenceOptions options, long maxPixels) {
        int side = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) Math.sqrt((double) maxPixels)));
        return new WindowBudget(options, 2 * options.modelRuns(side, side));
    }

    /** Model runs (windows, whole-image runs, their flips) an image of this size takes. */
    public long windows(int width, int height) {
        return options.modelRuns(height, width);
    }

    /** Refuses (TOO_LARGE) an image that takes more runs than the bound; name stands for it in the message. */
    public void check(String name, int width, int height) {
        long runs = windows(width, height);
        if (runs > maxWindows) {
            int crop = options.crop();
            String what = crop == InferenceOptions.WHOLE_IMAGE ? "whole-image runs of the model"
                    : "windows of " + crop + "x" + crop;
            throw new ImageProblem(ImageProblem.Kind.TOO_LARGE, name + ": a " + width + "x" + height + " image takes "
                    + runs + " " + what + ", more than the limit of " + maxWindows
                    + " per image; crop it into parts or shrink it");
        }
    }
}
