package dev.danet.api;

import dev.danet.inference.AttentionFeatures;

/**
 * What the attention modules of the model did on one picture (DANet's position attention, PAM,
 * and channel attention, CAM), on the feature grid of the picture resized to the segmenter's
 * attention side. Channel maps are held here; a pixel's row of the position attention map
 * (N x N in all) is computed on demand by the segmenter that made these maps, so it needs that
 * segmenter open.
 */
public final class AttentionMaps {

    /**
     * Where the model draws one pixel's features from: its row of the position attention map.
     *
     * @param x the pixel's column
     * @param y the pixel's row
     * @param cellX the feature column nearest to the pixel
     * @param cellY the feature row nearest to it
     * @param gridWidth feature columns
     * @param gridHeight feature rows
     * @param weights gridWidth * gridHeight weights, row-major, summing to 1
     */
    public record PositionAttention(int x, int y, int cellX, int cellY, int gridWidth, int gridHeight,
            float[] weights) {}

    private final AttentionFeatures features;
    private final Segmenter owner;

    AttentionMaps(AttentionFeatures features, Segmenter owner) {
        this.features = features;
        this.owner = owner;
    }

    /** Feature columns. */
    public int gridWidth() {
        return features.width();
    }

    /** Feature rows. */
    public int gridHeight() {
        return features.height();
    }

    public boolean hasPositionAttention() {
        return features.hasPositionAttention();
    }

    public boolean hasChannelAttention() {
        return features.hasChannelAttention();
    }

    /** Channels of the channel attention module's output (0 without CAM). */
    public int channels() {
        return features.camChannels();
    }

    /** One channel of the channel attention output over the feature grid, row-major; a copy. */
    public float[] channelMap(int channel) {
        if (!hasChannelAttention()) {
            throw new IllegalStateException("the model has no channel attention module");
        }
        if (channel < 0 || channel >= channels()) {
            throw new IndexOutOfBoundsException("channel " + channel + " is outside 0.." + (channels() - 1));
        }
        return features.channelMap(channel);
    }

    /**
     * Pixel (x, y)'s row of the position attention map (original picture coordinates). Runs the
     * model's attention on the segmenter, one inference at a time like a segmentation.
     */
    public PositionAttention positionAttention(int x, int y) {
        if (!hasPositionAttention()) {
            throw new IllegalStateException("the model has no position attention module");
        }
        if (x < 0 || y < 0 || x >= features.imageWidth() || y >= features.imageHeight()) {
            throw new IndexOutOfBoundsException("pixel " + x + "," + y + " is outside the " + features.imageWidth()
                    + "x" + features.imageHeight() + " picture");
        }
        int cell = features.cellAt(x, y);
        float[] weights = owner.positionAttentionRow(features, cell);
        return new PositionAttention(x, y, cell % gridWidth(), cell / gridWidth(), gridWidth(), gridHeight(), weights);
    }
}
