package dev.danet.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The row measures on hand-made rows whose answers are known. */
class AttentionRowStatsTest {

    private static final List<String> CLASSES = List.of("a", "b", "c");
    /** 8 cells: class a on 2 of them, b on 4, c on 1, one ignored. */
    private static final int[] LABELS = {0, 0, 1, 1, 1, 1, 2, 255};

    private static float[] uniform(int n) {
        float[] row = new float[n];
        java.util.Arrays.fill(row, 1f / n);
        return row;
    }

    @Test
    void aUniformRowPutsExactlyTheChanceLevelOnItsClassAndHasFullEntropy() {
        AttentionRowStats stats = new AttentionRowStats(CLASSES);
        for (int query = 0; query < 7; query++) {
            stats.add(uniform(8), 0, query, LABELS);
        }
        AttentionRowStats.Summary s = stats.summary();
        assertEquals(7, s.rows());
        assertEquals(8, s.cells());
        // chance per query: a 2/8 (2 rows), b 4/8 (4 rows), c 1/8 (1 row)
        double chance = (2 * 2 / 8.0 + 4 * 4 / 8.0 + 1 / 8.0) / 7;
        assertEquals(chance, s.chance().mean(), 1e-12);
        assertEquals(chance, s.sameClassMass().mean(), 1e-7);
        assertEquals(0, s.excess().mean(), 1e-7);
        assertEquals(0, s.excess().std(), 1e-7);
        assertEquals(Math.log(8), s.entropy().mean(), 1e-6);
        assertEquals(1, s.relativeEntropy().mean(), 1e-6);
        assertEquals(1 / 8.0, s.maxWeight().mean(), 1e-9);
        assertEquals(1 / 8.0, s.selfWeight().mean(), 1e-9);
        assertEquals(0, s.aboveChance(), 1e-12, "no row above chance: mass equals chance");
        assertEquals(0, s.oneHot(), 0);
        AttentionRowStats.ClassRows b = s.perClass().get(1);
        assertEquals("b", b.name());
        assertEquals(4, b.rows());
        assertEquals(0.5, b.chance(), 1e-12);
        assertEquals(0.5, b.sameClassMass(), 1e-7);
    }

    @Test
    void perQueryClassTheMassOnEachOtherClassIsMeasuredAgainstItsShareOfTheCells() {
        AttentionRowStats stats = new AttentionRowStats(CLASSES);
        stats.add(uniform(8), 0, 2, LABELS); // a uniform row of class b: every class gets its share
        float[] towardsC = {0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.05f, 0.5f, 0.1f}; // class b drawing on the c cell
        stats.add(towardsC, 0, 3, LABELS);
        AttentionRowStats.ClassRows b = stats.summary().perClass().get(0);
        assertEquals("b", b.name());
        assertEquals(List.of("a", "b", "c"), b.targets().stream().map(AttentionRowStats.TargetClass::name).toList(),
                "the ignored cell is no class");
        AttentionRowStats.TargetClass a = b.targets().get(0);
        AttentionRowStats.TargetClass c = b.targets().get(2);
        assertEquals(2 / 8.0, a.share(), 1e-12);
        assertEquals((2 / 8.0 + 0.2) / 2, a.mass(), 1e-7);
        assertEquals(1 / 8.0, c.share(), 1e-12);
        assertEquals((1 / 8.0 + 0.5) / 2, c.mass(), 1e-7);
        assertEquals(2.5, c.ratio(), 1e-6);
        assertEquals("c", b.mostOverChance().name(), "the cue-like class, not the query's own");
        assertEquals(b.sameClassMass(), b.targets().get(1).mass(), 1e-9, "the diagonal is the same-class mass");
    }

    @Test
    void aOneHotRowOnAnotherCellOfItsClassHasMassOneAndZeroEntropy() {
        AttentionRowStats stats = new AttentionRowStats(CLASSES);
        float[] row = new float[8];
        row[5] = 1; // query 2 (class b) draws all from cell 5, also b
        stats.add(row, 0, 2, LABELS);
        AttentionRowStats.Summary s = stats.summary();
        assertEquals(1, s.sameClassMass().mean(), 0);
        assertEquals(0.5, s.chance().mean(), 0);
        assertEquals(0, s.entropy().mean(), 0);
        assertEquals(1, s.maxWeight().mean(), 0);
        assertEquals(0, s.selfWeight().mean(), 0);
        assertEquals(1, s.oneHot(), 0);
        assertEquals(1, s.aboveChance(), 0);
    }

    @Test
    void aRowSpreadEvenlyOverItsOwnClassHasTheEntropyOfThatClassesCells() {
        AttentionRowStats stats = new AttentionRowStats(CLASSES);
        float[] row = {0, 0, 0.25f, 0.25f, 0.25f, 0.25f, 0, 0};
        stats.add(row, 0, 3, LABELS);
        float[] wrong = {0.5f, 0.5f, 0, 0, 0, 0, 0, 0};
        stats.add(wrong, 0, 4, LABELS); // class b, all on class a
        AttentionRowStats.Summary s = stats.summary();
        assertEquals(0.5, s.sameClassMass().mean(), 1e-9, "(1 + 0) / 2");
        assertEquals((Math.log(4) / Math.log(8) + Math.log(2) / Math.log(8)) / 2, s.relativeEntropy().mean(), 1e-7);
        assertEquals(0.5, s.sameClassMass().std(), 1e-9);
        assertEquals(0.5, s.aboveChance(), 0);
        assertEquals(0.375, s.maxWeight().mean(), 1e-9);
    }

    @Test
    void ignoredQueriesAreSkippedAndRowsAreReadAtTheirOffset() {
        AttentionRowStats stats = new AttentionRowStats(CLASSES);
        float[] two = new float[16];
        two[8 + 6] = 1; // second row: query 6 (class c) on its own cell
        assertFalse(stats.add(two, 0, 7, LABELS), "label 255");
        stats.add(two, 8, 6, LABELS);
        AttentionRowStats.Summary s = stats.summary();
        assertEquals(1, s.rows());
        assertEquals(1, s.selfWeight().mean(), 0);
        assertEquals(1, s.sameClassMass().mean(), 0);
        assertEquals(1 / 8.0, s.chance().mean(), 0);
        assertThrows(IllegalArgumentException.class, () -> stats.add(two, 9, 0, LABELS));
    }

    @Test
    void theOverlapWithTheMeanRowIsOneWhenEveryQueryDrawsFromTheSameCellsAndOneOverQWhenEachHasItsOwn() {
        AttentionRowStats same = new AttentionRowStats(CLASSES);
        float[] rows = new float[4 * 8];
        for (int r = 0; r < 4; r++) {
            rows[r * 8 + 6] = 1; // all four on cell 6
        }
        assertEquals(4, same.addImage(rows, new int[] {0, 2, 3, 6}, LABELS));
        assertEquals(1, same.summary().sharedWithMean().mean(), 1e-12);
        assertEquals(1.0 / 4, same.summary().sameClassMass().mean(), 1e-12, "only query 6 is of class c");

        AttentionRowStats own = new AttentionRowStats(CLASSES);
        float[] distinct = new float[4 * 8];
        int[] queries = {0, 2, 3, 7};
        for (int r = 0; r < 4; r++) {
            distinct[r * 8 + queries[r]] = 1; // each on its own cell
        }
        assertEquals(3, own.addImage(distinct, queries, LABELS), "query 7 is ignored");
        assertEquals(0.25, own.summary().sharedWithMean().mean(), 1e-12, "the ignored row still counts in the mean");
        assertEquals(1, own.summary().selfWeight().mean(), 0);
        assertTrue(Double.isNaN(new AttentionRowStats(CLASSES).summary().sharedWithMean().mean()));
    }

    @Test
    void spreadsUseInterpolatedPercentiles() {
        AttentionRowStats.Spread s = AttentionRowStats.Spread.of(new double[] {4, 1, 3, 2, 5});
        assertEquals(3, s.mean(), 0);
        assertEquals(Math.sqrt(2), s.std(), 1e-12);
        assertEquals(1.4, s.p10(), 1e-12);
        assertEquals(3, s.median(), 0);
        assertEquals(4.6, s.p90(), 1e-12);
    }

    @Test
    void labelsAreReadWhereTheAlignCornersUpsamplingPlacesEachCell() {
        // A 5x3 image with the label = x + 10 y; a 3x2 grid sits at x = 0, 2, 4 and y = 0, 2.
        int[] pixels = new int[15];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                pixels[y * 5 + x] = x + 10 * y;
            }
        }
        assertArrayEquals(new int[] {0, 2, 4, 20, 22, 24}, AttentionRowStats.labelsAtGrid(pixels, 5, 3, 3, 2));
        assertArrayEquals(new int[] {1 * 6 + 1, 1 * 6 + 3, 1 * 6 + 5, 3 * 6 + 1, 3 * 6 + 3, 3 * 6 + 5},
                AttentionRowStats.queryGrid(6, 4, 2));
        assertEquals(24, AttentionRowStats.queryGrid(6, 4, 1).length);
        assertArrayEquals(new int[] {0}, AttentionRowStats.queryGrid(1, 1, 3));
    }
}
