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

    /**
     * Columns of the feature grid the maps are on.
     *
     * @return feature columns
     */
    public int gridWidth() {
        return features.width();
    }

    /**
     * Rows of the feature grid the maps are on.
     *
     * @return feature rows
     */
    public int gridHeight() {
        return features.height();
    }

    /**
     * Whether the model has a position attention module (DANet and PAM-only models).
     *
     * @return whether {@link #positionAttention} can be asked
     */
    public boolean hasPositionAttention() {
        return features.hasPositionAttention();
    }

    /**
     * Whether the model has a channel attention module (DANet and CAM-only models).
     *
     * @return whether {@link #channelMap} can be asked
     */
    public boolean hasChannelAttention() {
        return features.hasChannelAttention();
    }

    /**
     * Channels of the channel attention module's output.
     *
     * @return the channel count, 0 without CAM
     */
    public int channels() {
        return features.camChannels();
    }

    /**
     * One channel of the channel attention output over the feature grid.
     *
     * @param channel 0 to {@link #channels()} - 1
     * @return {@code gridWidth() * gridHeight()} values, row-major; a copy
     * @throws IllegalStateException when the model has no channel attention
     * @throws IndexOutOfBoundsException when there is no such channel
     */
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
     * Pixel (x, y)'s row of the position attention map. Runs the model's attention on the
     * segmenter, one inference at a time like a segmentation.
     *
     * @param x the pixel's column in the original picture
     * @param y the pixel's row in the original picture
     * @return where the model draws that pixel's features from
     * @throws IllegalStateException when the model has no position attention or its segmenter is closed
     * @throws IndexOutOfBoundsException when the pixel is outside the picture
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
