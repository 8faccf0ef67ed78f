package dev.danet.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.danet.data.ClassSet;
import dev.danet.data.ImageDecoder;
import dev.danet.data.LabelGrid;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The label PNG is a palette PNG of class indices in the classes' colours; the colour view matches. */
class LabelPicturesTest {

    @TempDir
    Path dir;

    @Test
    void labelPngReadsBackAsTheClassIndicesWithTheClassColoursAsPalette() throws Exception {
        ClassSet classes = ClassSet.cityscapes();
        int w = 7;
        int h = 3;
        int[] labels = new int[w * h];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % classes.size();
        }
        Path file = dir.resolve("label.png");
        Images.writePng(file, LabelPictures.indexed(labels, w, h, classes));

        LabelGrid read = ImageDecoder.readLabels(file);
        assertEquals(w, read.width());
        for (int i = 0; i < labels.length; i++) {
            assertEquals(labels[i], read.get(i % w, i / w), "pixel " + i);
        }
        BufferedImage png = ImageIO.read(file.toFile());
        IndexColorModel palette = (IndexColorModel) png.getColorModel();
        for (int c = 0; c < classes.size(); c++) {
            assertEquals(classes.colours()[c], palette.getRGB(c) & 0xffffff, "palette entry " + c);
        }
        BufferedImage colour = LabelPictures.colour(labels, w, h, classes);
        assertEquals(classes.colours()[labels[10]], colour.getRGB(10 % w, 10 / w) & 0xffffff);
    }
}
