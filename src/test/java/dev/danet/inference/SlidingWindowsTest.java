package dev.danet.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Window placement and the reference's resize arithmetic. */
class SlidingWindowsTest {

    private static List<SlidingWindows.Span> spans(int... startEnd) {
        List<SlidingWindows.Span> list = new java.util.ArrayList<>();
        for (int i = 0; i < startEnd.length; i += 2) {
            list.add(new SlidingWindows.Span(startEnd[i], startEnd[i + 1]));
        }
        return list;
    }

    @Test
    void windowsStartEveryStrideAndTheLastOneSticksOut() {
        SlidingWindows w = new SlidingWindows(16, 10);
        // ceil((37 - 16) / 10) + 1 = 4 windows; the last covers 30..46, clipped to 37
        assertEquals(spans(0, 16, 10, 26, 20, 36, 30, 37), w.spans(37));
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1,
            2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1}, w.coverage(37));
    }

    @Test
    void everyPixelIsCoveredAndCountsAddUpForManySizes() {
        for (int crop : new int[] {1, 7, 16, 33}) {
            for (double ratio : new double[] {2.0 / 3, 0.5, 1.0}) {
                SlidingWindows w = SlidingWindows.of(crop, ratio);
                for (int length = 1; length < 120; length++) {
                    int[] coverage = w.coverage(length);
                    long covered = 0;
                    for (int c : coverage) {
                        assertTrue(c >= 1, "crop " + crop + " ratio " + ratio + " length " + length);
                        covered += c;
                    }
                    long total = w.spans(length).stream().mapToInt(SlidingWindows.Span::length).sum();
                    assertEquals(total, covered);
                    assertEquals(w.count(length), w.spans(length).size());
                    SlidingWindows.Span last = w.spans(length).get(w.count(length) - 1);
                    assertEquals(length, last.end(), "the last window reaches the end");
                    assertTrue(last.start() < length, "no window starts past the end");
                }
            }
        }
    }

    @Test
    void sidesNoLongerThanTheCropGetOneWindow() {
        SlidingWindows w = new SlidingWindows(16, 10);
        assertEquals(spans(0, 10), w.spans(10));
        assertEquals(spans(0, 16), w.spans(16));
        assertEquals(spans(0, 16, 10, 17), w.spans(17));
    }

    @Test
    void strideIsTheReferencesFloorOfCropTimesRatio() {
        assertEquals(512, SlidingWindows.of(768, 2.0 / 3).stride());
        assertEquals(341, SlidingWindows.of(512, 2.0 / 3).stride());
        assertEquals(256, SlidingWindows.of(512, 0.5).stride());
        // Cityscapes at 1024 x 2048 with crop 768: 2 x 4 windows
        SlidingWindows w = SlidingWindows.of(768, 2.0 / 3);
        assertEquals(2, w.count(1024));
        assertEquals(4, w.count(2048));
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindows(8, 9));
    }

    @Test
    void scaledSizeFollowsTheReferenceRounding() {
        InferenceOptions cityscapes = InferenceOptions.of(new double[] {1}, false, 768, 2048);
        assertArrayEquals(new int[] {768, 1536}, cityscapes.scaledSize(1024, 2048, 0.75));
        assertArrayEquals(new int[] {2048, 4096}, cityscapes.scaledSize(1024, 2048, 2.0));
        InferenceOptions voc = InferenceOptions.of(new double[] {1}, false, 512, 512);
        assertArrayEquals(new int[] {384, 512}, voc.scaledSize(375, 500, 1.0), "int(384.0 + 0.5)");
        assertArrayEquals(new int[] {512, 384}, voc.scaledSize(500, 375, 1.0), "portrait: the height is the long side");
        InferenceOptions odd = InferenceOptions.of(new double[] {1}, false, 512, 513);
        assertArrayEquals(new int[] {385, 385}, odd.scaledSize(100, 100, 0.75), "ceil(384.75)");
        InferenceOptions own = InferenceOptions.singleScale(512);
        assertArrayEquals(new int[] {37, 53}, own.scaledSize(37, 53, 1.0), "base 0: the image's own size at scale 1");
        assertArrayEquals(new int[] {19, 27}, own.scaledSize(37, 53, 0.5), "ceil(26.5) = 27, int(37 * 27 / 53 + .5)");
    }
}
