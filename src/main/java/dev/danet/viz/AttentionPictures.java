package dev.danet.viz;

import dev.danet.inference.AttentionFeatures;
import dev.danet.inference.AttentionReport;
import java.awt.Color;
import java.awt.image.BufferedImage;

/**
 * The attention pictures of an {@link AttentionReport}, as `./danet attention` writes them and
 * the web service sends them: heat maps of the feature grid on the photo.
 */
public final class AttentionPictures {

    private static final float OPACITY = 0.7f;

    private AttentionPictures() {}

    /** A pixel's row of the position attention map from 0 (draws nothing from there), the pixel marked. */
    public static BufferedImage positionRow(BufferedImage photo, AttentionReport.PositionRow row, Color marker) {
        BufferedImage heat = HeatMap.overlay(photo, row.values(), row.gridHeight(), row.gridWidth(),
                HeatMap.Scaling.FROM_ZERO, OPACITY);
        HeatMap.mark(heat, row.x(), row.y(), marker);
        return heat;
    }

    /** CAM output channel c, from its minimum to its maximum over the image. */
    public static BufferedImage channel(BufferedImage photo, AttentionFeatures features, int channel) {
        return HeatMap.overlay(photo, features.channelMap(channel), features.height(), features.width(),
                HeatMap.Scaling.MIN_MAX, OPACITY);
    }
}
