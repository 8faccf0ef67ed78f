package dev.danet.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.danet.data.ClassSet;
import dev.danet.data.ImageDecoder;
import dev.danet.data.LabelImage;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The label PNG is a palette PNG of class indices in the classes' colours; the colour view matches. */
class LabelImagesTest {

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
        Images.writePng(file, LabelImages.indexed(labels, w, h, classes));

        LabelImage read = ImageDecoder.readLabels(file);
        assertEquals(w, read.width());
        for (int i = 0; i < labels.length; i++) {
            assertEquals(labels[i], read.get(i % w, i / w), "pixel " + i);
        }
        BufferedImage png = ImageIO.read(file.toFile());
        IndexColorModel palette = (IndexColorModel) png.getColorModel();
        for (int c = 0; c < classes.size(); c++) {
            assertEquals(classes.colours()[c], palette.getRGB(c) & 0xffffff, "palette entry " + c);
        }
        BufferedImage colour = LabelImages.colour(labels, w, h, classes);
        assertEquals(classes.colours()[labels[10]], colour.getRGB(10 % w, 10 / w) & 0xffffff);
    }

    @Test
    void modelClassesComeFromSavedNamesOrFromTheClassCount() {
        assertEquals("cityscapes", ClassSet.forModel(List.of(), 19).name());
        assertEquals("voc", ClassSet.forModel(null, 21).name());
        ClassSet named = ClassSet.forModel(List.of("dark", "grey", "square"), 3);
        assertEquals(List.of("dark", "grey", "square"), named.names());
        assertArrayEquals(ClassSet.vocColours(1, 3), named.colours(), "as a class list file colours them");
        assertEquals("class 4", ClassSet.forModel(List.of(), 5).names().get(4));
        assertEquals("cityscapes", ClassSet.forModel(ClassSet.cityscapes().names(), 19).name());
    }

    @Test
    void pixelCountsPerClass() {
        assertArrayEquals(new long[] {2, 0, 1}, LabelImages.counts(new int[] {0, 2, 0, 255}, 3));
    }
}
