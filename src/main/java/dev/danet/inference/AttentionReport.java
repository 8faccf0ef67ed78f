package dev.danet.inference;

import dev.danet.DanetException;
import dev.danet.data.ClassSet;
import dev.danet.data.RgbImage;
import dev.danet.nn.HeadType;
import dev.danet.nn.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model's attention modules do on one picture: its segmentation, the attention features
 * (PAM input, CAM output) and the CAM channels worth showing, with the questions both
 * {@code ./danet attention} and the web page ask of it (a pixel's row of the position attention
 * map, the channels most active there). Plain Java arrays only: it can be cached and read from
 * any thread; the network is needed again only to compute a PAM row.
 *
 * @param photo the picture
 * @param labels predicted class per pixel, row-major
 * @param classes the model's classes
 * @param counts pixels per class
 * @param features the attention features, or null for a model without attention modules
 * @param channels CAM channels worth showing: for each predicted class the one that best separates
 *     it (largest class first), then the most active over the image not picked already; empty
 *     without CAM
 * @param timing where the time went
 */
public record AttentionReport(RgbImage photo, int[] labels, ClassSet classes, long[] counts,
        AttentionFeatures features, List<CamChannels.Pick> channels, Timing timing) {

    /** Channels picked for their mean activation over the image, besides the per-class picks. */
    public static final int OVERALL_CHANNELS = 4;

    /**
     * Seconds spent.
     *
     * @param segment segmenting the picture
     * @param attention computing the attention features and picking channels
     */
    public record Timing(double segment, double attention) {}

    /**
     * One pixel's row of the position attention map: where the model draws that pixel's features
     * from, over the feature grid.
     *
     * @param x the pixel's column
     * @param y the pixel's row
     * @param cell the feature cell nearest to it (row-major)
     * @param cellX that cell's column
     * @param cellY that cell's row
     * @param gridWidth feature columns
     * @param gridHeight feature rows
     * @param values gridWidth * gridHeight weights summing to 1
     */
    public record PositionRow(int x, int y, int cell, int cellX, int cellY, int gridWidth, int gridHeight,
            float[] values) {}

    /**
     * What the report says about one pixel.
     *
     * @param x the pixel's column
     * @param y the pixel's row
     * @param cell the feature cell nearest to it
     * @param predicted the class predicted there
     * @param positionRow its row of the position attention map, or null without PAM
     * @param strongest the CAM channels most active at its cell, strongest first; empty without CAM
     */
    public record Point(int x, int y, int cell, String predicted, PositionRow positionRow,
            List<CamChannels.Pick> strongest) {}

    /**
     * Segments the picture with the segmenter and computes its attention features on the picture
     * resized so that its long side is at most attentionSide (see {@link AttentionFeatures}).
     */
    public static AttentionReport of(LoadedModel model, ImageSegmenter segmenter, RgbImage photo, int attentionSide) {
        long t0 = System.nanoTime();
        int[] labels = segmenter.segment(photo, ImageSegmenter.Scores.NONE).labels();
        long t1 = System.nanoTime();
        AttentionFeatures features = hasAttention(model.network()) ? AttentionFeatures.compute(model.network(),
                model.card().normalization(), photo, attentionSide) : null;
        List<CamChannels.Pick> channels = new ArrayList<>();
        if (features != null && features.hasChannelAttention()) {
            channels.addAll(CamChannels.byClass(features, CamChannels.labelsAtCells(features, labels),
                    model.classes().size()));
            for (CamChannels.Pick pick : CamChannels.strongestOverall(features, OVERALL_CHANNELS)) {
                if (channels.stream().noneMatch(p -> p.channel() == pick.channel())) {
                    channels.add(pick);
                }
            }
        }
        long t2 = System.nanoTime();
        return new AttentionReport(photo, labels, model.classes(), model.classes().pixelCounts(labels), features,
                List.copyOf(channels), new Timing((t1 - t0) / 1e9, (t2 - t1) / 1e9));
    }

    /** Fails with one line naming the file when the model has neither attention module. */
    public static void requireAttention(LoadedModel model) {
        if (!hasAttention(model.network())) {
            throw new DanetException(model.weights() + ": the model has an " + model.network().config().head().id()
                    + " head, which has no attention modules to show; use a danet, pam or cam model");
        }
    }

    private static boolean hasAttention(Network network) {
        HeadType head = network.config().head();
        return head.usesPositionAttention() || head.usesChannelAttention();
    }

    public boolean hasPositionAttention() {
        return features != null && features.hasPositionAttention();
    }

    public boolean hasChannelAttention() {
        return features != null && features.hasChannelAttention();
    }

    /** The per-class channel picks (the first part of {@link #channels}). */
    public List<CamChannels.Pick> classChannels() {
        return channels.stream().filter(p -> p.label() >= 0).toList();
    }

    /** The class predicted at pixel (x, y). */
    public String predictedAt(int x, int y) {
        return classes.names().get(labels[y * photo.width() + x]);
    }

    /** Pixel (x, y)'s row of the position attention map, computed from the cached PAM input. */
    public PositionRow positionRow(Network network, int x, int y) {
        int cell = features.cellAt(x, y);
        float[] values = features.positionAttentionRow(network, cell);
        return new PositionRow(x, y, cell, cell % features.width(), cell / features.width(), features.width(),
                features.height(), values);
    }

    /** Everything about one pixel: its class, its PAM row and the k CAM channels most active there. */
    public Point point(Network network, int x, int y, int k) {
        int cell = features.cellAt(x, y);
        return new Point(x, y, cell, predictedAt(x, y), hasPositionAttention() ? positionRow(network, x, y) : null,
                hasChannelAttention() ? CamChannels.strongestAt(features, cell, k) : List.of());
    }

    /** Heap bytes held, for a cache's budget. */
    public long bytes() {
        return photo.rgb().length + 4L * labels.length + (features == null ? 0 : features.bytes());
    }
}
