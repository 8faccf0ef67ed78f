package dev.danet.eval;

import java.util.Locale;

/** Formats {@link SegmentationMetrics} as a plain-text table for the terminal. */
public final class MetricsTable {

    private MetricsTable() {}

    /**
     * One row per class (IoU, accuracy, ground-truth pixels), then the summary: pixel accuracy,
     * mean class accuracy and both mean IoUs, each named by what it averages over. Scores are
     * percentages; "-" marks a score that is undefined (empty union, or class not in the truth).
     */
    public static String format(SegmentationMetrics metrics) {
        int nameWidth = "class".length();
        for (SegmentationMetrics.ClassMetrics c : metrics.perClass()) {
            nameWidth = Math.max(nameWidth, c.name().length());
        }
        nameWidth = Math.min(nameWidth, 40);
        StringBuilder out = new StringBuilder();
        String row = "%3s  %-" + nameWidth + "s  %7s  %7s  %12s%n";
        out.append(String.format(Locale.ROOT, row, "#", "class", "IoU %", "acc %", "gt pixels"));
        for (SegmentationMetrics.ClassMetrics c : metrics.perClass()) {
            String name = c.name().length() > nameWidth ? c.name().substring(0, nameWidth - 1) + "~" : c.name();
            out.append(String.format(Locale.ROOT, row, c.index(), name, percent(c.iou()), percent(c.accuracy()),
                    c.truthPixels()));
        }
        int k = metrics.classes();
        String summary = "%-52s %7s%n";
        out.append(String.format(Locale.ROOT, summary, "pixel accuracy (" + metrics.labelledPixels()
                + " labelled pixels)", percent(metrics.pixelAccuracy())));
        out.append(String.format(Locale.ROOT, summary, "mean class accuracy (classes in the ground truth)",
                percent(metrics.meanClassAccuracy())));
        out.append(String.format(Locale.ROOT, summary, "mIoU over all " + k + " classes (reference; absent = 0)",
                percent(metrics.miouAllClasses())));
        out.append(String.format(Locale.ROOT, summary, "mIoU over " + metrics.classesPresent() + " classes present (mmseg)",
                percent(metrics.miouPresentClasses())));
        return out.toString();
    }

    private static String percent(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * value);
    }
}
