package dev.danet.viz;

import dev.danet.data.ClassSet;
import dev.danet.data.RgbImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A grid of pictures for comparing models: one row per image, columns photo, ground truth and
 * each model's prediction (colour labels blended over the photo), captioned on top.
 */
public final class ComparisonSheet {

    private static final int CAPTION = 22;

    /** One row: the photo, its truth and one prediction per column after the first two. */
    public record Row(RgbImage photo, int[] truth, List<int[]> predictions) {}

    private ComparisonSheet() {}

    public static BufferedImage draw(List<String> columnTitles, List<Row> rows, ClassSet classes) {
        int w = rows.get(0).photo().width();
        int h = rows.get(0).photo().height();
        int columns = columnTitles.size();
        BufferedImage sheet = new BufferedImage(columns * w, CAPTION + rows.size() * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), CAPTION);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        for (int c = 0; c < columns; c++) {
            g.drawString(columnTitles.get(c), c * w + 6, CAPTION - 6);
        }
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            BufferedImage photo = Images.toBufferedImage(row.photo());
            int y = CAPTION + r * h;
            g.drawImage(photo, 0, y, null);
            g.drawImage(Images.overlay(photo, row.truth(), classes, 0.65f), w, y, null);
            for (int p = 0; p < row.predictions().size(); p++) {
                g.drawImage(Images.overlay(photo, row.predictions().get(p), classes, 0.65f), (2 + p) * w, y, null);
            }
        }
        g.dispose();
        return sheet;
    }
}
