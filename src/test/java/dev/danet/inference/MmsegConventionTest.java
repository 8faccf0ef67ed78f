package dev.danet.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.io.TestRecipe;
import java.util.List;
import org.junit.jupiter.api.Test;

/** mmsegmentation's test details: resizing to fit a box, windows kept inside the image. */
class MmsegConventionTest {

    @Test
    void windowsKeptInsideEndAtTheImagesEnd() {
        // mmseg: h_grids = max(h - crop + stride - 1, 0) // stride + 1; y2 = min(y1 + crop, h); y1 = max(y2 - crop, 0)
        SlidingWindows windows = new SlidingWindows(769, 513).keptInside();
        assertEquals(List.of(new SlidingWindows.Span(0, 769), new SlidingWindows.Span(255, 1024)), windows.spans(1024));
        assertEquals(4, windows.count(2048));
        assertEquals(new SlidingWindows.Span(1279, 2048), windows.spans(2048).get(3));
        assertEquals(List.of(new SlidingWindows.Span(0, 500)), windows.spans(500), "a short side is one window");
        int[] coverage = windows.coverage(1024);
        assertEquals(1, coverage[0]);
        assertEquals(2, coverage[300]);
        assertEquals(1, coverage[1023]);
        // The reference pads the last window past the end instead.
        assertEquals(new SlidingWindows.Span(513, 1024), new SlidingWindows(769, 513).spans(1024).get(1));
    }

    @Test
    void recipesResizeToFitTheirBoxKeepingTheAspectRatio() {
        double[] one = {1.0};
        InferenceOptions ade = InferenceOptions.fromRecipe(TestRecipe.WHOLE.withResize(2048, 512), one, false);
        assertArrayEquals(new int[] {512, 683}, ade.scaledSize(375, 500, 1.0), "short side to 512");
        assertArrayEquals(new int[] {1024, 1365}, ade.scaledSize(375, 500, 2.0), "times the test scale");
        assertArrayEquals(new int[] {256, 2048}, ade.scaledSize(300, 2400, 1.0), "long side bound wins");
        InferenceOptions cityscapes = InferenceOptions.fromRecipe(
                TestRecipe.slide(769, 513).withResize(2048, 1024), one, false);
        assertArrayEquals(new int[] {1024, 2048}, cityscapes.scaledSize(1024, 2048, 1.0), "no resize");
        assertEquals(769, cityscapes.crop());
        assertEquals(513, cityscapes.windows().stride());
        assertTrue(cityscapes.windows().keepInside());
        InferenceOptions own = InferenceOptions.fromRecipe(TestRecipe.WHOLE, one, false);
        assertArrayEquals(new int[] {563, 751}, own.scaledSize(563, 751, 1.0));
        assertTrue(own.runsWhole(100_000, 100_000), "whole mode never slides");
    }
}
