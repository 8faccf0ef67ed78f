package dev.danet.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Confusion matrix and metrics against hand-computed numbers. */
class SegmentationMetricsTest {

    private static final double EPS = 1e-12;
    private static final int I = 255;

    /**
     * 4 classes; class 3 never occurs in the truth, and is predicted only on an ignore pixel.
     * truth 0 0 0 1 1 2 I I / prediction 0 0 1 1 2 2 3 0.
     */
    private static ConfusionMatrix handExample() {
        ConfusionMatrix m = new ConfusionMatrix(4);
        m.add(new int[] {0, 0, 0, 1, 1, 2, I, I}, new int[] {0, 0, 1, 1, 2, 2, 3, 0});
        return m;
    }

    @Test
    void ignorePixelsAreNotCountedWhateverWasPredictedThere() {
        ConfusionMatrix m = handExample();
        assertArrayEquals(new long[] {
            2, 1, 0, 0,
            0, 1, 1, 0,
            0, 0, 1, 0,
            0, 0, 0, 0}, m.toArray());
        assertEquals(6, m.total());
    }

    @Test
    void perClassIouAndAccuracyMatchHandComputation() {
        SegmentationMetrics s = SegmentationMetrics.of(handExample(), List.of("a", "b", "c", "absent"));
        // IoU0 = 2 / (3 + 2 - 2), IoU1 = 1 / (2 + 2 - 1), IoU2 = 1 / (1 + 2 - 1), class 3: empty union
        double[] iou = s.iou();
        assertEquals(2.0 / 3, iou[0], EPS);
        assertEquals(1.0 / 3, iou[1], EPS);
        assertEquals(1.0 / 2, iou[2], EPS);
        assertTrue(Double.isNaN(iou[3]), "absent class: NaN");
        double[] acc = s.classAccuracy();
        assertEquals(2.0 / 3, acc[0], EPS);
        assertEquals(1.0 / 2, acc[1], EPS);
        assertEquals(1.0, acc[2], EPS);
        assertTrue(Double.isNaN(acc[3]));
        SegmentationMetrics.ClassMetrics c1 = s.perClass().get(1);
        assertEquals(2, c1.truthPixels());
        assertEquals(2, c1.predictedPixels());
        assertEquals(1, c1.intersection());
        assertEquals(3, c1.union());
    }

    @Test
    void bothMiouDefinitionsDifferWhenAClassIsAbsent() {
        SegmentationMetrics s = SegmentationMetrics.of(handExample(), List.of("a", "b", "c", "absent"));
        // reference: (2/3 + 1/3 + 1/2 + 0) / 4; mmseg: the same sum over the 3 present classes
        assertEquals(1.5 / 4, s.miouAllClasses(), EPS);
        assertEquals(1.5 / 3, s.miouPresentClasses(), EPS);
        assertEquals(3, s.classesPresent());
        assertEquals(4.0 / 6, s.pixelAccuracy(), EPS);
        assertEquals(4, s.correctPixels());
        assertEquals(6, s.labelledPixels());
        assertEquals((2.0 / 3 + 1.0 / 2 + 1.0) / 3, s.meanClassAccuracy(), EPS);
    }

    @Test
    void aClassOnlyPredictedIsPresentWithIouZero() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(new int[] {0, 0, 1, 1}, new int[] {0, 2, 1, 1});
        SegmentationMetrics s = SegmentationMetrics.of(m, List.of("a", "b", "c"));
        assertArrayEquals(new double[] {0.5, 1.0, 0.0}, s.iou(), EPS);
        assertEquals(3, s.classesPresent());
        assertEquals(0.5, s.miouAllClasses(), EPS);
        assertEquals(0.5, s.miouPresentClasses(), EPS);
        assertEquals(0.75, s.meanClassAccuracy(), EPS, "class 2 is not in the truth: left out of the mean");
        assertEquals(0.75, s.pixelAccuracy(), EPS);
    }

    /** The reference's batch_intersection_union / batch_pix_accuracy, re-derived with histograms. */
    @Test
    void allClassesMiouEqualsTheReferenceHistogramFormula() {
        int k = 6;
        Random random = new Random(3);
        ConfusionMatrix m = new ConfusionMatrix(k);
        long[] inter = new long[k];
        long[] areaPred = new long[k];
        long[] areaLab = new long[k];
        long correct = 0;
        long labelled = 0;
        for (int image = 0; image < 5; image++) {
            int[] truth = new int[300];
            int[] pred = new int[300];
            for (int i = 0; i < truth.length; i++) {
                int t = random.nextInt(10);
                truth[i] = t >= k - 1 ? (t == 9 ? I : random.nextInt(k - 1)) : t; // class 5 never in the truth
                pred[i] = random.nextInt(k - 1); // nor predicted: its union is empty
                if (truth[i] != I) {
                    labelled++;
                    areaLab[truth[i]]++;
                    areaPred[pred[i]]++;
                    if (pred[i] == truth[i]) {
                        correct++;
                        inter[truth[i]]++;
                    }
                }
            }
            m.add(truth, pred);
        }
        double eps = Math.ulp(1.0); // np.spacing(1)
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += inter[c] / (eps + areaPred[c] + areaLab[c] - inter[c]);
        }
        SegmentationMetrics s = SegmentationMetrics.of(m, List.of("0", "1", "2", "3", "4", "5"));
        assertEquals(sum / k, s.miouAllClasses(), 1e-12);
        assertEquals(correct / (eps + labelled), s.pixelAccuracy(), 1e-12);
        assertTrue(s.miouPresentClasses() > s.miouAllClasses());
    }

    @Test
    void mergeAddsCountsAndEqualsOneMatrixOverEverything() {
        int[] t1 = {0, 1, 2, I};
        int[] p1 = {0, 2, 2, 1};
        int[] t2 = {2, 2, 0};
        int[] p2 = {2, 0, 0};
        ConfusionMatrix a = new ConfusionMatrix(3);
        a.add(t1, p1);
        ConfusionMatrix b = new ConfusionMatrix(3);
        b.add(t2, p2);
        ConfusionMatrix whole = new ConfusionMatrix(3);
        whole.add(t1, p1);
        whole.add(t2, p2);
        a.merge(b);
        assertArrayEquals(whole.toArray(), a.toArray());
        assertThrows(IllegalArgumentException.class, () -> a.merge(new ConfusionMatrix(4)));
    }

    @Test
    void concurrentAddsLoseNoCounts() throws InterruptedException {
        ConfusionMatrix m = new ConfusionMatrix(2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 200; i++) {
            pool.submit(() -> m.add(new int[] {0, 1, 1}, new int[] {0, 1, 0}));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertArrayEquals(new long[] {200, 0, 200, 200}, m.toArray());
    }

    @Test
    void labelsOutOfRangeAreRejectedAndLeaveTheMatrixUnchanged() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        assertThrows(IllegalArgumentException.class, () -> m.add(new int[] {0, 3}, new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> m.add(new int[] {0, 1}, new int[] {0, 7}));
        assertThrows(IllegalArgumentException.class, () -> m.add(new int[] {0}, new int[] {0, 1}));
        assertEquals(0, m.total());
    }

    @Test
    void emptyMatrixGivesNanScoresNotErrors() {
        SegmentationMetrics s = SegmentationMetrics.of(new ConfusionMatrix(2), List.of("a", "b"));
        assertTrue(Double.isNaN(s.pixelAccuracy()));
        assertTrue(Double.isNaN(s.miouPresentClasses()));
        assertEquals(0.0, s.miouAllClasses());
    }

    @Test
    void csvHasTruthRowsAndPredictionColumnsWithNames() {
        ConfusionMatrix m = ConfusionMatrix.of(new long[][] {{5, 1}, {0, 3}});
        assertEquals("truth\\prediction,road,\"a, b\"\nroad,5,1\n\"a, b\",0,3\n", m.toCsv(List.of("road", "a, b")));
    }

    @Test
    void tableNamesEveryClassAndBothMious() {
        String table = MetricsTable.format(SegmentationMetrics.of(handExample(), List.of("a", "b", "c", "absent")));
        assertTrue(table.contains("absent"), table);
        assertTrue(table.matches("(?s).*mIoU over all 4 classes.*37\\.50.*"), table);
        assertTrue(table.matches("(?s).*mIoU over 3 classes present.*50\\.00.*"), table);
        assertTrue(table.matches("(?s).*pixel accuracy.*66\\.67.*"), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("absent") && l.contains(" - ")), table);
    }
}
