package dev.danet.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Picks which of CAM's output channels to show. The paper shows channel maps that respond to
 * one class each; with hundreds of channels a viewer needs the few that matter: the ones most
 * active at a chosen point, and for each predicted class the one that best separates it from
 * the rest of the image.
 */
public final class CamChannels {

    /**
     * A channel and why it was picked.
     *
     * @param channel the CAM output channel
     * @param label the class it responds to, or -1 when picked for a point
     * @param score activation at the point, or the class contrast (mean inside minus mean outside,
     *     over the channel's standard deviation)
     */
    public record Pick(int channel, int label, double score) {}

    private CamChannels() {}

    /** The k channels with the highest activation at a feature cell, strongest first. */
    public static List<Pick> strongestAt(AttentionFeatures features, int cell, int k) {
        float[] maps = requireCam(features);
        int cells = features.cells();
        List<Pick> picks = new ArrayList<>();
        for (int c = 0; c < features.camChannels(); c++) {
            picks.add(new Pick(c, -1, maps[c * cells + cell]));
        }
        picks.sort(Comparator.comparingDouble(Pick::score).reversed());
        return List.copyOf(picks.subList(0, Math.min(k, picks.size())));
    }

    /** The k channels with the highest mean activation over the image, strongest first. */
    public static List<Pick> strongestOverall(AttentionFeatures features, int k) {
        float[] maps = requireCam(features);
        int cells = features.cells();
        List<Pick> picks = new ArrayList<>();
        for (int c = 0; c < features.camChannels(); c++) {
            double sum = 0;
            for (int i = 0; i < cells; i++) {
                sum += maps[c * cells + i];
            }
            picks.add(new Pick(c, -1, sum / cells));
        }
        picks.sort(Comparator.comparingDouble(Pick::score).reversed());
        return List.copyOf(picks.subList(0, Math.min(k, picks.size())));
    }

    /**
     * For each class predicted on at least one feature cell (and not on all of them), the
     * channel whose map best separates that class's cells from the others; classes in order
     * of their cell count, largest first.
     *
     * @param cellLabels the predicted class of each feature cell ({@link #labelsAtCells})
     */
    public static List<Pick> byClass(AttentionFeatures features, int[] cellLabels, int classes) {
        float[] maps = requireCam(features);
        int cells = features.cells();
        int[] counts = new int[classes];
        for (int label : cellLabels) {
            if (label >= 0 && label < classes) {
                counts[label]++;
            }
        }
        List<Pick> picks = new ArrayList<>();
        for (int label = 0; label < classes; label++) {
            if (counts[label] == 0 || counts[label] == cells) {
                continue;
            }
            Pick best = null;
            for (int c = 0; c < features.camChannels(); c++) {
                double contrast = contrast(maps, c * cells, cells, cellLabels, label, counts[label]);
                if (best == null || contrast > best.score()) {
                    best = new Pick(c, label, contrast);
                }
            }
            picks.add(best);
        }
        picks.sort(Comparator.comparingInt((Pick p) -> -counts[p.label()]));
        return picks;
    }

    /** The image's per-pixel labels sampled at each feature cell's position. */
    public static int[] labelsAtCells(AttentionFeatures features, int[] pixelLabels) {
        int[] out = new int[features.cells()];
        for (int cell = 0; cell < out.length; cell++) {
            int[] p = features.pixelOf(cell);
            out[cell] = pixelLabels[p[1] * features.imageWidth() + p[0]];
        }
        return out;
    }

    private static double contrast(float[] maps, int offset, int cells, int[] labels, int label, int inside) {
        double sumIn = 0;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < cells; i++) {
            double v = maps[offset + i];
            sum += v;
            sumSq += v * v;
            if (labels[i] == label) {
                sumIn += v;
            }
        }
        double mean = sum / cells;
        double std = Math.sqrt(Math.max(0, sumSq / cells - mean * mean));
        if (std < 1e-12) {
            return 0;
        }
        double meanIn = sumIn / inside;
        double meanOut = (sum - sumIn) / (cells - inside);
        return (meanIn - meanOut) / std;
    }

    private static float[] requireCam(AttentionFeatures features) {
        if (!features.hasChannelAttention()) {
            throw new dev.danet.DanetException("the model has no channel attention module");
        }
        return features.camOutput();
    }
}
