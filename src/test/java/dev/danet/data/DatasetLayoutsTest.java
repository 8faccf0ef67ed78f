package dev.danet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.DanetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every published layout read from tiny generated samples, with the labels checked after mapping. */
class DatasetLayoutsTest {

    @TempDir
    Path root;

    @Test
    void cityscapesLabelIdsBecomeTrainIdsPixelByPixel() {
        Path city = root.resolve("leftImg8bit/val/aachen");
        SampleFiles.picture(city.resolve("aachen_000000_000019_leftImg8bit.png"), 4, 2);
        // road, sidewalk, car, unlabeled | bicycle, license-plate-free void (3), train, sky
        SampleFiles.greyLabels(root.resolve("gtFine/val/aachen/aachen_000000_000019_gtFine_labelIds.png"), 4, 2,
                7, 8, 26, 0, 33, 3, 31, 23);
        SegmentationDataset data = SegmentationDataset.open("cityscapes", root, "val", BadSamples.failFast());
        assertEquals(1, data.size());
        assertEquals("aachen_000000_000019", data.sample(0).id());
        LabeledImage sample = data.load(0);
        assertArrayEquals(new int[] {0, 1, 13, 255, 18, 255, 16, 10}, sample.label().values());
        assertEquals(30, sample.image().red(3, 1));
        assertEquals(10, sample.image().green(3, 1));
        assertEquals(19, data.classes().size());
    }

    @Test
    void cityscapesTrainIdsAreUsedAsTheyAre() {
        SampleFiles.picture(root.resolve("leftImg8bit/train/bonn/bonn_1_leftImg8bit.png"), 2, 1);
        SampleFiles.greyLabels(root.resolve("gtFine/train/bonn/bonn_1_gtFine_trainIds.png"), 2, 1, 18, 255);
        LabeledImage sample = SegmentationDataset.open("cityscapes", root, "train", BadSamples.failFast()).load(0);
        assertArrayEquals(new int[] {18, 255}, sample.label().values());
    }

    @Test
    void vocPalettePngIndicesAreTheClasses() throws IOException {
        Files.createDirectories(root.resolve("ImageSets/Segmentation"));
        Files.writeString(root.resolve("ImageSets/Segmentation/val.txt"), "2007_000032\n");
        SampleFiles.picture(root.resolve("JPEGImages/2007_000032.jpg"), 3, 1);
        SampleFiles.paletteLabels(root.resolve("SegmentationClass/2007_000032.png"), 3, 1, 0, 15, 255);
        SegmentationDataset data = SegmentationDataset.open("auto", root, "val", BadSamples.failFast());
        assertEquals("voc", data.layoutId());
        assertArrayEquals(new int[] {0, 15, 255}, data.load(0).label().values());
        assertEquals("person", data.classes().names().get(15));
    }

    @Test
    void ade20kIgnoresZeroAndShiftsTheRestDown() {
        SampleFiles.picture(root.resolve("images/validation/ADE_val_1.jpg"), 3, 1);
        SampleFiles.greyLabels(root.resolve("annotations/validation/ADE_val_1.png"), 3, 1, 0, 1, 150);
        SegmentationDataset data = SegmentationDataset.open("auto", root, "val", BadSamples.failFast());
        assertEquals("ade20k", data.layoutId());
        assertArrayEquals(new int[] {255, 0, 149}, data.load(0).label().values());
        assertEquals(150, data.classes().size());
        assertEquals("wall", data.classes().names().get(0));
    }

    @Test
    void ade20kValueAbove150IsNamedInTheError() {
        SampleFiles.picture(root.resolve("images/training/a.jpg"), 2, 1);
        Path label = SampleFiles.greyLabels(root.resolve("annotations/training/a.png"), 2, 1, 1, 151);
        SegmentationDataset data = SegmentationDataset.open("ade20k", root, "train", BadSamples.failFast());
        DanetException e = assertThrows(DanetException.class, () -> data.load(0));
        assertTrue(e.getMessage().startsWith(label.toString()) && e.getMessage().contains("label value 151 at x=1, y=0"),
                e.getMessage());
    }

    @Test
    void cocoStuffRawIdsSkipTheElevenUnusedOnes() {
        SampleFiles.picture(root.resolve("images/val2017/000000000139.jpg"), 5, 1);
        SampleFiles.greyLabels(root.resolve("annotations/val2017/000000000139.png"), 5, 1, 0, 10, 12, 181, 255);
        SegmentationDataset data = SegmentationDataset.open("coco-stuff", root, "val", BadSamples.failFast());
        assertArrayEquals(new int[] {0, 10, 11, 170, 255}, data.load(0).label().values());
        assertEquals(171, data.classes().size());
    }

    @Test
    void cocoStuffUnusedIdIsAnError() {
        SampleFiles.picture(root.resolve("images/val2017/x.jpg"), 1, 1);
        SampleFiles.greyLabels(root.resolve("annotations/val2017/x.png"), 1, 1, 11);
        SegmentationDataset data = SegmentationDataset.open("coco-stuff", root, "val", BadSamples.failFast());
        assertThrows(DanetException.class, () -> data.load(0));
    }

    @Test
    void cocoStuffTrainIdFilesAreUsedAsTheyAre() {
        SampleFiles.picture(root.resolve("images/train2017/x.jpg"), 2, 1);
        SampleFiles.greyLabels(root.resolve("annotations/train2017/x_labelTrainIds.png"), 2, 1, 170, 255);
        SegmentationDataset data = SegmentationDataset.open("coco-stuff", root, "train", BadSamples.failFast());
        assertArrayEquals(new int[] {170, 255}, data.load(0).label().values());
    }

    @Test
    void pascalContextIgnoresBackground() throws IOException {
        Files.createDirectories(root.resolve("ImageSets/SegmentationContext"));
        Files.writeString(root.resolve("ImageSets/SegmentationContext/train.txt"), "2008_000002\n");
        SampleFiles.picture(root.resolve("JPEGImages/2008_000002.jpg"), 3, 1);
        SampleFiles.greyLabels(root.resolve("SegmentationClassContext/2008_000002.png"), 3, 1, 0, 1, 59);
        SegmentationDataset data = SegmentationDataset.open("pascal-context", root, "train", BadSamples.failFast());
        assertArrayEquals(new int[] {255, 0, 58}, data.load(0).label().values());
        assertEquals(59, data.classes().size());
    }

    @Test
    void genericFolderReadsItsClassListAndMasks() throws IOException {
        Files.createDirectories(root);
        Files.writeString(root.resolve("classes.txt"), "# custom\nbackground\nleaf 0 200 0\nrust #b7410e\n");
        SampleFiles.picture(root.resolve("images/p1.png"), 4, 1);
        SampleFiles.greyLabels(root.resolve("masks/p1.png"), 4, 1, 0, 1, 2, 255);
        SegmentationDataset data = SegmentationDataset.open("auto", root, "train", BadSamples.failFast());
        assertEquals("folder", data.layoutId());
        assertEquals(java.util.List.of("background", "leaf", "rust"), data.classes().names());
        assertEquals(0x00c800, data.classes().colours()[1]);
        assertEquals(0xb7410e, data.classes().colours()[2]);
        assertArrayEquals(new int[] {0, 1, 2, 255}, data.load(0).label().values());
    }

    @Test
    void imageWithoutLabelStopsOrIsSkippedAndReported() {
        SampleFiles.picture(root.resolve("images/a.png"), 2, 1);
        SampleFiles.picture(root.resolve("images/b.png"), 2, 1);
        SampleFiles.greyLabels(root.resolve("masks/a.png"), 2, 1, 0, 0);
        writeClasses();
        DanetException e = assertThrows(DanetException.class,
                () -> SegmentationDataset.open("folder", root, "train", BadSamples.failFast()));
        assertTrue(e.getMessage().contains("b.png: has no label"), e.getMessage());
        BadSamples skip = new BadSamples(BadSamples.Policy.SKIP);
        SegmentationDataset data = SegmentationDataset.open("folder", root, "train", skip);
        assertEquals(1, data.size());
        assertEquals(1, skip.problems().size());
        assertTrue(skip.problems().get(0).contains("b.png"));
    }

    @Test
    void labelOfAnotherSizeIsAnErrorNamingBothFiles() {
        SampleFiles.picture(root.resolve("images/a.png"), 3, 2);
        Path label = SampleFiles.greyLabels(root.resolve("masks/a.png"), 2, 1, 0, 0);
        writeClasses();
        SegmentationDataset data = SegmentationDataset.open("folder", root, "train", BadSamples.failFast());
        DanetException e = assertThrows(DanetException.class, () -> data.load(0));
        assertTrue(e.getMessage().startsWith(label + ": label is 2x1 but its image a.png is 3x2"), e.getMessage());
    }

    @Test
    void emptyMissingAndUnknownDatasetsAreClearErrors() throws IOException {
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("masks"));
        writeClasses();
        assertTrue(assertThrows(DanetException.class,
                () -> SegmentationDataset.open("folder", root, "train", BadSamples.failFast()))
                .getMessage().contains("no samples in split 'train'"));
        assertTrue(assertThrows(DanetException.class,
                () -> SegmentationDataset.open("folder", root.resolve("nope"), "train", BadSamples.failFast()))
                .getMessage().contains("no such dataset folder"));
        assertTrue(assertThrows(DanetException.class,
                () -> SegmentationDataset.open("kitti", root, "train", BadSamples.failFast()))
                .getMessage().contains("unknown dataset layout 'kitti'"));
        assertTrue(assertThrows(DanetException.class,
                () -> SegmentationDataset.open("cityscapes", root, "train", BadSamples.failFast()))
                .getMessage().contains("leftImg8bit"));
    }

    private void writeClasses() {
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve("classes.txt"), "a\nb\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
