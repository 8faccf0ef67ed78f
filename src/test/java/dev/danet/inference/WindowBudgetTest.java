package dev.danet.inference;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.data.ImageProblem;
import org.junit.jupiter.api.Test;

/** The window bound: what an image costs is its windows, and thin strips cannot multiply them. */
class WindowBudgetTest {

    private static final InferenceOptions SERVE = InferenceOptions.singleScale(512);
    private static final long SERVE_PIXELS = 12_000_000L;

    @Test
    void windowsCountThePaddedCropsOfEveryScaleAndFlip() {
        assertEquals(100, SERVE.modelRuns(3464, 3464), "10 x 10 windows, stride 341");
        assertEquals(59, SERVE.modelRuns(1, 20_000), "one row of 512 x 512 windows over a 1-pixel strip");
        assertEquals(1, SERVE.modelRuns(300, 400), "small enough to run whole");
        InferenceOptions multi = InferenceOptions.of(new double[] {0.5, 1.0}, true, 512, 0);
        // 0.5: 500x500 runs whole; 1.0: 1000x1000 at stride 256 is 3 x 3 windows; each run twice (flip).
        assertEquals(2 * (1 + 9), multi.modelRuns(1000, 1000));
    }

    @Test
    void theDefaultBoundIsTwiceASquareImageAtThePixelLimit() {
        WindowBudget budget = WindowBudget.forPixelLimit(SERVE, SERVE_PIXELS);
        assertEquals(200, budget.maxWindows());
        assertDoesNotThrow(() -> budget.check("photo", 3464, 3464));
        assertDoesNotThrow(() -> budget.check("panorama", 23_391, 513), "a legal panorama at the pixel limit");
        assertDoesNotThrow(() -> budget.check("strip", 20_000, 1), "59 windows cost less than the square's 100");
    }

    @Test
    void aThinStripWithinThePixelLimitIsRefusedForItsWindows() {
        WindowBudget budget = WindowBudget.forPixelLimit(SERVE, SERVE_PIXELS);
        ImageProblem e = assertThrows(ImageProblem.class, () -> budget.check("strip.png", 12_000_000, 1));
        assertEquals(ImageProblem.Kind.TOO_LARGE, e.kind());
        assertEquals("strip.png: a 12000000x1 image takes 35191 windows of 512x512, more than the limit of 200 per"
                + " image; crop it into parts or shrink it", e.getMessage());
        assertThrows(ImageProblem.class, () -> budget.check("band", 120_000, 100));
    }

    @Test
    void anExplicitBoundAndWholeImageRunsAreCountedToo() {
        InferenceOptions whole = InferenceOptions.of(new double[] {0.75, 1.0, 1.25}, true, InferenceOptions.WHOLE_IMAGE, 0);
        WindowBudget budget = new WindowBudget(whole, 4);
        ImageProblem e = assertThrows(ImageProblem.class, () -> budget.check("x", 10, 10));
        assertTrue(e.getMessage().contains("takes 6 whole-image runs of the model"), e.getMessage());
    }
}
