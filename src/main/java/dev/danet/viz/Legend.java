package dev.danet.viz;

import dev.danet.data.ClassSet;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A legend picture to go with the attention pictures: the heat ramp with what its ends mean,
 * the points (with their marker colours and what each file shows), and the colours of the
 * classes present in the segmentation.
 */
public final class Legend {

    /** One line of text with an optional colour swatch (null: none). */
    public record Entry(Integer colour, String text) {}

    private static final int PAD = 12;
    private static final int LINE = 20;
    private static final int WIDTH = 560;

    private Legend() {}

    /**
     * @param title first line
     * @param heatLow what the dark end of the ramp means
     * @param heatHigh what the bright end means
     * @param entries lines below the ramp (points, files, notes)
     * @param classes the class colours
     * @param classCounts pixels per class; classes with none are left out
     */
    public static BufferedImage draw(String title, String heatLow, String heatHigh, List<Entry> entries,
            ClassSet classes, long[] classCounts) {
        List<Entry> classLines = new ArrayList<>();
        long total = 0;
        for (long c : classCounts) {
            total += c;
        }
        for (int i = 0; i < classCounts.length; i++) {
            if (classCounts[i] > 0) {
                double share = 100.0 * classCounts[i] / Math.max(1, total);
                classLines.add(new Entry(classes.colours()[i], String.format(java.util.Locale.ROOT, "%d %s  %s", i,
                        classes.names().get(i), share < 0.05 ? "<0.1%" : String.format(java.util.Locale.ROOT, "%.1f%%",
                        share))));
            }
        }
        int height = PAD + LINE + 50 + LINE * (entries.size() + 1) + LINE * (classLines.size() + 1) + PAD;
        int width = width(title, entries);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        int y = PAD + 14;
        g.drawString(title, PAD, y);
        y += 10;
        g.drawImage(HeatMap.colourBar(width - 2 * PAD, 16), PAD, y, null);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics metrics = g.getFontMetrics();
        y += 16 + 14;
        g.drawString(heatLow, PAD, y);
        g.drawString(heatHigh, width - PAD - metrics.stringWidth(heatHigh), y);
        y += LINE + 6;
        y = lines(g, entries, y);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString("classes in the segmentation (share of pixels)", PAD, y);
        y += LINE;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        lines(g, classLines, y);
        g.dispose();
        return image;
    }

    /** Wide enough for the longest line, and at least {@link #WIDTH}. */
    private static int width(String title, List<Entry> entries) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        int widest = g.getFontMetrics(new Font(Font.SANS_SERIF, Font.BOLD, 14)).stringWidth(title);
        FontMetrics plain = g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (Entry e : entries) {
            widest = Math.max(widest, plain.stringWidth(e.text()) + (e.colour() != null ? 22 : 0));
        }
        g.dispose();
        return Math.max(WIDTH, widest + 2 * PAD);
    }

    private static int lines(Graphics2D g, List<Entry> entries, int y) {
        for (Entry e : entries) {
            int x = PAD;
            if (e.colour() != null) {
                g.setColor(new Color(e.colour()));
                g.fillRect(x, y - 11, 14, 14);
                g.setColor(Color.DARK_GRAY);
                g.drawRect(x, y - 11, 14, 14);
                x += 22;
            }
            g.setColor(Color.BLACK);
            g.drawString(e.text(), x, y);
            y += LINE;
        }
        return y;
    }
}
