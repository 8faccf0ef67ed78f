package dev.danet.viz;

import dev.danet.data.RgbImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Which scale a multi-scale model trusts where, as Chen et al. show it (figure 4): the photo,
 * then one heat map per scale of its weight w^s (absolute: black = 0, yellow = 1, so the panels
 * compare), then the map of the most-weighted scale per pixel with a legend. An optional last
 * panel shows the segmentation.
 */
public final class ScaleWeightMaps {

    private static final int CAPTION = 22;
    private static final int LEGEND = 22;
    /** One colour per scale in the argmax map, distinct from black and the heat ramp. */
    private static final int[] SCALE_COLOURS = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
        0x17becf};

    private ScaleWeightMaps() {}

    /**
     * @param photo the input picture
     * @param weights (S, H, W) weights at the photo's size, summing to 1 over the scales
     * @param scales the scale of each weight map, for the captions
     * @param segmentation a colour picture of the prediction to show last, or null
     */
    public static BufferedImage draw(RgbImage photo, float[] weights, List<Double> scales, BufferedImage segmentation) {
        int w = photo.width();
        int h = photo.height();
        int count = scales.size();
        if (weights.length != count * w * h) {
            throw new IllegalArgumentException("expected " + count + " weight maps of " + h + "x" + w + ", got "
                    + weights.length + " values");
        }
        int panels = 2 + count + (segmentation != null ? 1 : 0);
        BufferedImage sheet = new BufferedImage(panels * w, CAPTION + h + LEGEND, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        BufferedImage picture = Images.toBufferedImage(photo);
        g.drawImage(picture, 0, CAPTION, null);
        g.drawString("photo", 6, CAPTION - 6);
        float[] plane = new float[w * h];
        for (int s = 0; s < count; s++) {
            System.arraycopy(weights, s * w * h, plane, 0, w * h);
            g.drawImage(heat(plane, w, h), (1 + s) * w, CAPTION, null);
            g.setColor(Color.BLACK);
            g.drawString(String.format("w, scale %s (mean %.2f)", scales.get(s), mean(plane)), (1 + s) * w + 6,
                    CAPTION - 6);
        }
        g.drawImage(argmax(weights, count, w, h), (1 + count) * w, CAPTION, null);
        g.drawString("most-weighted scale", (1 + count) * w + 6, CAPTION - 6);
        if (segmentation != null) {
            g.drawImage(segmentation, (2 + count) * w, CAPTION, null);
            g.drawString("segmentation", (2 + count) * w + 6, CAPTION - 6);
        }
        legend(g, scales, 6, CAPTION + h + 4);
        g.dispose();
        return sheet;
    }

    /** The colour of scale index s in the argmax panel. */
    public static int colour(int s) {
        return SCALE_COLOURS[s % SCALE_COLOURS.length];
    }

    private static BufferedImage heat(float[] values, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < values.length; i++) {
            float t = Math.max(0, Math.min(1, values[i]));
            // black -> red -> yellow: the ramp Images.heatOverlay uses, on an absolute 0..1 scale.
            int r = Math.round(255 * Math.min(1, 2 * t));
            int gr = Math.round(255 * Math.max(0, 2 * t - 1));
            out.setRGB(i % w, i / w, (r << 16) | (gr << 8));
        }
        return out;
    }

    private static BufferedImage argmax(float[] weights, int count, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            int best = 0;
            for (int s = 1; s < count; s++) {
                if (weights[s * plane + i] > weights[best * plane + i]) {
                    best = s;
                }
            }
            out.setRGB(i % w, i / w, colour(best));
        }
        return out;
    }

    private static void legend(Graphics2D g, List<Double> scales, int x, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int at = x;
        g.setColor(Color.BLACK);
        g.drawString("heat: weight 0", at, y + 12);
        at += 90;
        for (int i = 0; i <= 20; i++) {
            float t = i / 20f;
            g.setColor(new Color(Math.round(255 * Math.min(1, 2 * t)), Math.round(255 * Math.max(0, 2 * t - 1)), 0));
            g.fillRect(at + 3 * i, y + 2, 3, 12);
        }
        at += 70;
        g.setColor(Color.BLACK);
        g.drawString("1", at, y + 12);
        at += 30;
        for (int s = 0; s < scales.size(); s++) {
            g.setColor(new Color(colour(s)));
            g.fillRect(at, y + 2, 12, 12);
            g.setColor(Color.BLACK);
            String label = "scale " + scales.get(s);
            g.drawString(label, at + 16, y + 12);
            at += 24 + g.getFontMetrics().stringWidth(label);
        }
    }

    private static float mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return (float) (sum / values.length);
    }
}
