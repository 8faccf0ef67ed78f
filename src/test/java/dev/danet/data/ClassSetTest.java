package dev.danet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A model's or a dataset's classes: names, the colours they are drawn in, pixel counts. */
class ClassSetTest {

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
        assertArrayEquals(new long[] {2, 0, 1}, ClassSet.forModel(null, 3).pixelCounts(new int[] {0, 2, 0, 255}));
    }

    @Test
    void vocColoursAreTheReferenceColourMapAndCityscapesKeepsItsOwn() {
        // PyTorch-Encoding's and the VOC devkit's colour map: the label's bits spread over R, G, B.
        int[] voc = ClassSet.vocColours(0, 21);
        assertEquals(0x000000, voc[0]);
        assertEquals(0x800000, voc[1]);
        assertEquals(0xc08080, voc[15], "person");
        assertEquals(0x004080, voc[20], "tvmonitor");
        assertEquals(0x804080, ClassSet.cityscapes().colours()[0], "road");
        assertEquals(0x770b20, ClassSet.cityscapes().colours()[18], "bicycle");
    }
}
