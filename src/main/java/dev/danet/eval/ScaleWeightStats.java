package dev.danet.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.danet.data.LabeledImage;
import dev.danet.data.Normalization;
import dev.danet.data.SegmentationDataset;
import dev.danet.nn.Network;
import java.util.List;

/**
 * Which scale a multi-scale model trusts for which class: the mean of each scale's weight
 * over the labelled pixels of each class (the truth), over a dataset split. The evidence
 * for "small objects come from the large scale" (or not).
 */
public final class ScaleWeightStats {

    private final List<String> classNames;
    private final List<Double> scales;
    private final double[][] sums; // [class][scale]
    private final long[] pixels;

    private ScaleWeightStats(List<String> classNames, List<Double> scales) {
        this.classNames = classNames;
        this.scales = scales;
        this.sums = new double[classNames.size()][scales.size()];
        this.pixels = new long[classNames.size()];
    }

    /** Accumulates the network's scale weights over every image of the split. */
    public static ScaleWeightStats of(Network network, SegmentationDataset dataset) {
        ScaleWeightStats stats = new ScaleWeightStats(dataset.classes().names(), network.config().scales().scales());
        for (int i = 0; i < dataset.size(); i++) {
            stats.add(network, dataset.load(i));
        }
        return stats;
    }

    private void add(Network network, LabeledImage sample) {
        int h = sample.image().height();
        int w = sample.image().width();
        int count = scales.size();
        float[] weights;
        try (NDManager scope = network.manager().newSubManager()) {
            NDArray image = scope.create(Normalization.toChw(sample.image()), new Shape(1, 3, h, w))
                    .toType(network.dataType(), false);
            weights = network.scaleWeights(image).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        }
        int[] labels = sample.label().values();
        for (int p = 0; p < labels.length; p++) {
            int c = labels[p];
            if (c < 0 || c >= pixels.length) {
                continue;
            }
            pixels[c]++;
            for (int s = 0; s < count; s++) {
                sums[c][s] += weights[s * h * w + p];
            }
        }
    }

    /** Mean weight of scale s over the pixels of class c (NaN when the class has none). */
    public double mean(int c, int s) {
        return pixels[c] == 0 ? Double.NaN : sums[c][s] / pixels[c];
    }

    public long pixels(int c) {
        return pixels[c];
    }

    /** A markdown table: one row per class present, one column per scale, plus the share of pixels. */
    public String markdown() {
        StringBuilder md = new StringBuilder("| class | pixels |");
        scales.forEach(s -> md.append(" w(").append(s).append(") |"));
        md.append("\n|---|---|").append("---|".repeat(scales.size())).append('\n');
        long total = java.util.Arrays.stream(pixels).sum();
        double[] overall = new double[scales.size()];
        for (int c = 0; c < pixels.length; c++) {
            if (pixels[c] == 0) {
                continue;
            }
            md.append("| ").append(classNames.get(c)).append(String.format(" | %.1f%% |", 100.0 * pixels[c] / total));
            for (int s = 0; s < scales.size(); s++) {
                md.append(String.format(" %.3f |", mean(c, s)));
                overall[s] += sums[c][s];
            }
            md.append('\n');
        }
        md.append("| all pixels | 100% |");
        for (double o : overall) {
            md.append(String.format(" %.3f |", o / Math.max(1, total)));
        }
        return md.append('\n').toString();
    }
}
