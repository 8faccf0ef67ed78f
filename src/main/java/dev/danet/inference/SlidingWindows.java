package dev.danet.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference's window placement along one axis. A side shorter than the crop is padded up
 * to it first, so there are ceil((max(length, crop) - crop) / stride) + 1 windows starting at
 * 0, stride, 2 stride, ...; the last one may stick out past the end (its input is padded and
 * its scores cut back), it is never shifted back inside, unless {@code keepInside}: then, as
 * mmsegmentation places them, a window that would stick out is moved back to end at the image's
 * end (and a side shorter than the crop is one window of that side). The windows of an image
 * are the product of its row and column windows.
 *
 * @param crop window side
 * @param stride distance between window starts, 1 to crop
 * @param keepInside shift windows back inside the image instead of padding past its end
 */
public record SlidingWindows(int crop, int stride, boolean keepInside) {

    public SlidingWindows(int crop, int stride) {
        this(crop, stride, false);
    }

    /** The same windows placed as mmsegmentation places them. */
    public SlidingWindows keptInside() {
        return new SlidingWindows(crop, stride, true);
    }

    /** The part of a window inside the image: [start, end). */
    public record Span(int start, int end) {

        public int length() {
            return end - start;
        }
    }

    public SlidingWindows {
        if (crop < 1 || stride < 1 || stride > crop) {
            throw new IllegalArgumentException("need 1 <= stride <= crop, got crop " + crop + ", stride " + stride);
        }
    }

    /** The reference's stride for a crop: floor(crop * ratio), at least 1. */
    public static SlidingWindows of(int crop, double strideRatio) {
        return new SlidingWindows(crop, Math.max(1, (int) (crop * strideRatio)));
    }

    /** Number of windows along a side of the given length. */
    public int count(int length) {
        int padded = Math.max(length, crop);
        return (padded - crop + stride - 1) / stride + 1;
    }

    /** The windows along a side, clipped to [0, length). */
    public List<Span> spans(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be positive, got " + length);
        }
        int n = count(length);
        List<Span> spans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int start = i * stride;
            int end = Math.min(start + crop, length);
            spans.add(new Span(keepInside ? Math.max(end - crop, 0) : start, end));
        }
        return spans;
    }

    /** How many windows cover each position along a side. */
    public int[] coverage(int length) {
        int[] counts = new int[length];
        for (Span s : spans(length)) {
            for (int i = s.start(); i < s.end(); i++) {
                counts[i]++;
            }
        }
        return counts;
    }
}
