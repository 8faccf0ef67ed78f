package dev.danet.synth;

import dev.danet.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * A picture of a benchmark for the docs: one row per twin pair, each showing both twins' photo
 * and label map (Cityscapes colours; void black), with the cue and the class above. The cue's
 * region is outlined in white on the label maps.
 */
public final class BenchmarkMontage {

    private static final int GAP = 4;
    private static final int CAPTION = 14;

    private BenchmarkMontage() {}

    /** Draws the given pairs of a split (pair k is images 2k and 2k+1). */
    public static BufferedImage draw(ContextBenchmark benchmark, SyntheticScenes.Options options, String split,
                                     List<Integer> pairs) {
        int w = options.width();
        int h = options.height();
        int rowHeight = CAPTION + h;
        BufferedImage out = new BufferedImage(4 * w + 3 * GAP, pairs.size() * rowHeight + (pairs.size() - 1) * GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int row = 0; row < pairs.size(); row++) {
            int top = row * (rowHeight + GAP);
            for (int member = 0; member < 2; member++) {
                BenchmarkScene s = ContextBenchmarks.paint(benchmark, options, split, 2 * pairs.get(row) + member);
                int left = member * 2 * (w + GAP);
                g.setColor(Color.BLACK);
                String what = s.contextClass() == null ? s.cue() : s.cue() + ": " + s.contextClass().cityscapesName();
                g.drawString(String.format("%s %d: %s", split, 2 * pairs.get(row) + member, what), left + 2, top + 11);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out.setRGB(left + x, top + CAPTION + y, s.colour(x, y));
                        int colour = SyntheticClass.ofLabelId(s.labelId(x, y)).colour();
                        if (s.inCue(x, y) && isEdge(s, x, y)) {
                            colour = 0xFFFFFF;
                        }
                        out.setRGB(left + w + GAP + x, top + CAPTION + y, colour);
                    }
                }
            }
        }
        g.dispose();
        return out;
    }

    /** Writes the montage as a PNG. */
    public static void write(Path file, ContextBenchmark benchmark, SyntheticScenes.Options options, String split,
                             List<Integer> pairs) {
        BufferedImage image = draw(benchmark, options, split, pairs);
        int[] rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        AtomicFiles.write(file, out -> PngFiles.writeRgb(out, image.getWidth(), image.getHeight(), rgb));
    }

    /** A cue pixel with a non-cue neighbour (or on the border): the outline of the cue region. */
    private static boolean isEdge(BenchmarkScene s, int x, int y) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx;
                int yy = y + dy;
                if (xx < 0 || yy < 0 || xx >= s.width() || yy >= s.height() || !s.inCue(xx, yy)) {
                    return true;
                }
            }
        }
        return false;
    }
}
