package dev.danet.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The scores of a segmentation run, computed from its {@link ConfusionMatrix}. Ignored pixels
 * were never counted, so every figure is over labelled pixels only.
 *
 * <p>Two mean IoUs, because published numbers use both:
 * <ul>
 *   <li>{@link #miouAllClasses}: the mean over ALL classes, a class whose union is empty (never
 *       in the ground truth and never predicted) counting 0. This is what the DANet /
 *       PyTorch-Encoding reference prints (IoU = inter / (eps + union), then mean).</li>
 *   <li>{@link #miouPresentClasses}: the mean over the classes whose union is non-empty (mmseg's
 *       nanmean). A class that is only predicted (never in the truth) has IoU 0 and counts.</li>
 * </ul>
 * They agree when every class occurs; on a subset of a dataset they can differ a lot.
 *
 * @param labelledPixels pixels with a class label (ignore pixels excluded)
 * @param correctPixels labelled pixels predicted as their label
 * @param pixelAccuracy correctPixels / labelledPixels (NaN when nothing was labelled)
 * @param meanClassAccuracy mean of per-class accuracy over classes that occur in the truth
 * @param miouAllClasses mean IoU over all classes, empty-union classes counting 0 (the reference's mIoU)
 * @param miouPresentClasses mean IoU over classes with a non-empty union (mmseg's mIoU; NaN if none)
 * @param classesPresent classes with a non-empty union
 * @param perClass one entry per class, by class index
 */
public record SegmentationMetrics(
        long labelledPixels,
        long correctPixels,
        double pixelAccuracy,
        double meanClassAccuracy,
        double miouAllClasses,
        double miouPresentClasses,
        int classesPresent,
        List<ClassMetrics> perClass) {

    /**
     * One class's counts and scores.
     *
     * @param index class index
     * @param name class name
     * @param truthPixels pixels of this class in the ground truth (row sum)
     * @param predictedPixels labelled pixels predicted as this class (column sum)
     * @param intersection pixels both labelled and predicted as this class
     * @param union truthPixels + predictedPixels - intersection
     * @param iou intersection / union; NaN when the union is empty
     * @param accuracy intersection / truthPixels; NaN when the class is not in the truth
     */
    public record ClassMetrics(int index, String name, long truthPixels, long predictedPixels, long intersection,
            long union, double iou, double accuracy) {

        /** Whether the class occurs in the truth or the prediction. */
        public boolean present() {
            return union > 0;
        }
    }

    public SegmentationMetrics {
        perClass = List.copyOf(perClass);
    }

    /** Scores of a matrix whose classes carry the given names (by index). */
    public static SegmentationMetrics of(ConfusionMatrix matrix, List<String> classNames) {
        int k = matrix.classes();
        if (classNames.size() != k) {
            throw new IllegalArgumentException(classNames.size() + " class names for a " + k + "-class matrix");
        }
        long[] counts = matrix.toArray();
        long[] truth = new long[k];
        long[] predicted = new long[k];
        long correct = 0;
        long total = 0;
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                long c = counts[t * k + p];
                truth[t] += c;
                predicted[p] += c;
                total += c;
            }
            correct += counts[t * k + t];
        }
        List<ClassMetrics> classes = new ArrayList<>(k);
        double iouSum = 0;
        int present = 0;
        double accuracySum = 0;
        int inTruth = 0;
        for (int c = 0; c < k; c++) {
            long inter = counts[c * k + c];
            long union = truth[c] + predicted[c] - inter;
            double iou = union > 0 ? (double) inter / union : Double.NaN;
            double accuracy = truth[c] > 0 ? (double) inter / truth[c] : Double.NaN;
            if (union > 0) {
                iouSum += iou;
                present++;
            }
            if (truth[c] > 0) {
                accuracySum += accuracy;
                inTruth++;
            }
            classes.add(new ClassMetrics(c, classNames.get(c), truth[c], predicted[c], inter, union, iou, accuracy));
        }
        return new SegmentationMetrics(total, correct,
                total > 0 ? (double) correct / total : Double.NaN,
                inTruth > 0 ? accuracySum / inTruth : Double.NaN,
                iouSum / k,
                present > 0 ? iouSum / present : Double.NaN,
                present,
                classes);
    }

    public int classes() {
        return perClass.size();
    }

    /**
     * The headline numbers by short name, e.g. for training logs: "pixAcc", "mIoU" (over all
     * classes, as the reference), "mIoU_present" (mmseg) and "mAcc".
     */
    public java.util.Map<String, Double> summary() {
        java.util.Map<String, Double> map = new java.util.LinkedHashMap<>();
        map.put("pixAcc", pixelAccuracy);
        map.put("mIoU", miouAllClasses);
        map.put("mIoU_present", miouPresentClasses);
        map.put("mAcc", meanClassAccuracy);
        return map;
    }

    /** Per-class IoU by class index; NaN for a class with an empty union. */
    public double[] iou() {
        return perClass.stream().mapToDouble(ClassMetrics::iou).toArray();
    }

    /** Per-class accuracy (recall) by class index; NaN for a class absent from the truth. */
    public double[] classAccuracy() {
        return perClass.stream().mapToDouble(ClassMetrics::accuracy).toArray();
    }
}
