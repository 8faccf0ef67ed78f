package dev.danet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.DanetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folders as the real downloads and converters leave them (cityscapesScripts, mmseg's
 * tools/dataset_converters, the ADE20K and COCO-Stuff releases), in miniature: which files are
 * paired, and what the labels hold after mapping.
 */
class PreparedDatasetFoldersTest {

    @TempDir
    Path root;

    @Test
    void cityscapesLabelTrainIdsWinOverLabelIdsInAPreparedFolder() {
        for (String city : List.of("aachen", "bochum")) {
            String prefix = city + "_000000_000019";
            Path gt = root.resolve("gtFine/train").resolve(city);
            SampleFiles.picture(root.resolve("leftImg8bit/train").resolve(city).resolve(prefix + "_leftImg8bit.png"), 3, 1);
            // The downloaded files stay beside the converted ones; labelIds would map to 0, 1, 13.
            SampleFiles.greyLabels(gt.resolve(prefix + "_gtFine_labelIds.png"), 3, 1, 7, 8, 26);
            SampleFiles.greyLabels(gt.resolve(prefix + "_gtFine_instanceIds.png"), 3, 1, 7, 8, 26);
            SampleFiles.picture(gt.resolve(prefix + "_gtFine_color.png"), 3, 1);
            write(gt.resolve(prefix + "_gtFine_polygons.json"), "{}");
            int first = city.equals("aachen") ? 18 : 5;
            SampleFiles.greyLabels(gt.resolve(prefix + "_gtFine_labelTrainIds.png"), 3, 1, first, 255, 0);
        }
        SegmentationDataset data = SegmentationDataset.open("auto", root, "train", BadSamples.failFast());
        assertEquals("cityscapes", data.layoutId());
        assertEquals(List.of("aachen_000000_000019", "bochum_000000_000019"),
                data.samples().stream().map(SampleRef::id).toList());
        assertTrue(data.sample(1).label().toString().endsWith("bochum_000000_000019_gtFine_labelTrainIds.png"));
        assertArrayEquals(new int[] {18, 255, 0}, data.load(0).label().values());
        assertArrayEquals(new int[] {5, 255, 0}, data.load(1).label().values());
    }

    @Test
    void cityscapesFolderWithOnlyLabelTrainIdsIsReadAndValue19IsRefused() {
        SampleFiles.picture(root.resolve("leftImg8bit/val/lindau/lindau_000001_000019_leftImg8bit.png"), 2, 1);
        Path label = SampleFiles.greyLabels(
                root.resolve("gtFine/val/lindau/lindau_000001_000019_gtFine_labelTrainIds.png"), 2, 1, 0, 19);
        SegmentationDataset data = SegmentationDataset.open("cityscapes", root, "val", BadSamples.failFast());
        DanetException e = assertThrows(DanetException.class, () -> data.load(0));
        assertTrue(e.getMessage().startsWith(label + ": label value 19 at x=1, y=0"), e.getMessage());
    }

    @Test
    void cityscapesCityWithoutTheSplitsTrainIdFilesIsNamedWithTheFix() {
        SampleFiles.picture(root.resolve("leftImg8bit/train/aachen/aachen_1_leftImg8bit.png"), 1, 1);
        SampleFiles.greyLabels(root.resolve("gtFine/train/aachen/aachen_1_gtFine_labelTrainIds.png"), 1, 1, 0);
        Path image = SampleFiles.picture(root.resolve("leftImg8bit/train/bremen/bremen_1_leftImg8bit.png"), 1, 1);
        SampleFiles.greyLabels(root.resolve("gtFine/train/bremen/bremen_1_gtFine_labelIds.png"), 1, 1, 7);
        BadSamples skip = new BadSamples(BadSamples.Policy.SKIP);
        SegmentationDataset data = SegmentationDataset.open("cityscapes", root, "train", skip);
        assertEquals(1, data.size());
        assertEquals(1, skip.problems().size());
        String problem = skip.problems().get(0);
        assertTrue(problem.startsWith(image + ": has no label bremen_1_gtFine_labelTrainIds.png (only"
                + " bremen_1_gtFine_labelIds.png"), problem);
    }

    @Test
    void cityscapesWithUnconvertedPolygonsGetsOneLineNamingTheFolderAndTheAcceptedNames() {
        SampleFiles.picture(root.resolve("leftImg8bit/train/aachen/aachen_1_leftImg8bit.png"), 1, 1);
        write(root.resolve("gtFine/train/aachen/aachen_1_gtFine_polygons.json"), "{}");
        SampleFiles.greyLabels(root.resolve("gtFine/train/aachen/aachen_1_gtFine_labelTrainId.png"), 1, 1, 0);
        DanetException e = assertThrows(DanetException.class,
                () -> SegmentationDataset.open("auto", root, "train", BadSamples.failFast()));
        String message = e.getMessage();
        assertTrue(message.startsWith(root.resolve("gtFine/train") + ": no label files"), message);
        for (String name : List.of("*_gtFine_labelTrainIds.png", "*_gtFine_trainIds.png", "*_gtFine_labelIds.png",
                "createTrainIdLabelImgs")) {
            assertTrue(message.contains(name), name + " missing from: " + message);
        }
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void vocTrainaugIsVocTrainFromSegmentationClassPlusSbdAugFromSegmentationClassAug() {
        // mmseg's voc_aug.py: SBD labels as grey PNGs in SegmentationClassAug, aug.txt = SBD less VOC train/val.
        writeLines(root.resolve("ImageSets/Segmentation/train.txt"), "2007_000032");
        writeLines(root.resolve("ImageSets/Segmentation/val.txt"), "2007_000033");
        writeLines(root.resolve("ImageSets/Segmentation/aug.txt"), "2008_000002", "2008_000003");
        for (String id : List.of("2007_000032", "2007_000033", "2008_000002", "2008_000003")) {
            SampleFiles.picture(root.resolve("JPEGImages").resolve(id + ".jpg"), 2, 1);
        }
        SampleFiles.paletteLabels(root.resolve("SegmentationClass/2007_000032.png"), 2, 1, 15, 255);
        SampleFiles.greyLabels(root.resolve("SegmentationClassAug/2007_000032.png"), 2, 1, 1, 1);
        SampleFiles.greyLabels(root.resolve("SegmentationClassAug/2008_000002.png"), 2, 1, 0, 20);
        SampleFiles.greyLabels(root.resolve("SegmentationClassAug/2008_000003.png"), 2, 1, 7, 0);

        SegmentationDataset trainaug = SegmentationDataset.open("auto", root, "trainaug", BadSamples.failFast());
        assertEquals("voc", trainaug.layoutId());
        assertEquals(List.of("2007_000032", "2008_000002", "2008_000003"),
                trainaug.samples().stream().map(SampleRef::id).toList());
        assertArrayEquals(new int[] {15, 255}, trainaug.load(0).label().values());
        assertArrayEquals(new int[] {0, 20}, trainaug.load(1).label().values());
        assertEquals(root.resolve("JPEGImages/2008_000003.jpg"), trainaug.sample(2).image());

        SegmentationDataset aug = SegmentationDataset.open("voc", root, "aug", BadSamples.failFast());
        assertEquals(2, aug.size());
        assertEquals(root.resolve("SegmentationClassAug/2008_000003.png"), aug.sample(1).label());
    }

    @Test
    void vocTrainaugListWithOnlySegmentationClassAugIsRead() {
        // The DeepLab-style download: every label in SegmentationClassAug, 255 on borders, one trainaug list.
        writeLines(root.resolve("ImageSets/Segmentation/trainaug.txt"), "2011_003256");
        SampleFiles.picture(root.resolve("JPEGImages/2011_003256.jpg"), 3, 1);
        SampleFiles.greyLabels(root.resolve("SegmentationClassAug/2011_003256.png"), 3, 1, 0, 255, 12);
        SegmentationDataset data = SegmentationDataset.open("auto", root, "trainaug", BadSamples.failFast());
        assertEquals("voc", data.layoutId());
        assertArrayEquals(new int[] {0, 255, 12}, data.load(0).label().values());
    }

    @Test
    void vocMissingSplitListNamesTheListsThatExist() {
        writeLines(root.resolve("ImageSets/Segmentation/train.txt"), "a");
        writeLines(root.resolve("ImageSets/Segmentation/val.txt"), "b");
        SampleFiles.paletteLabels(root.resolve("SegmentationClass/a.png"), 1, 1, 0);
        SampleFiles.picture(root.resolve("JPEGImages/a.jpg"), 1, 1);
        DanetException e = assertThrows(DanetException.class,
                () -> SegmentationDataset.open("voc", root, "trainaug", BadSamples.failFast()));
        assertEquals(root.resolve("ImageSets/Segmentation/trainaug.txt")
                + ": no such split list; the splits listed there are [train, val]", e.getMessage());
    }

    @Test
    void pascalContextInVoc2010IsTakenForContextNotVocAndIgnoresBackground() {
        contextFolder();
        SegmentationDataset data = SegmentationDataset.open("auto", root, "val", BadSamples.failFast());
        assertEquals("pascal-context", data.layoutId());
        assertArrayEquals(new int[] {255, 0, 58, 255}, data.load(0).label().values());
        assertEquals(59, data.classes().size());
        assertEquals("aeroplane", data.classes().names().get(0));
        assertEquals("wood", data.classes().names().get(58));
    }

    @Test
    void pascalContext60KeepsBackgroundAsClassZero() {
        contextFolder();
        SegmentationDataset data = SegmentationDataset.open("pascal-context-60", root, "val", BadSamples.failFast());
        assertArrayEquals(new int[] {0, 1, 59, 255}, data.load(0).label().values());
        assertEquals(60, data.classes().size());
        assertEquals("background", data.classes().names().get(0));
        assertEquals("wood", data.classes().names().get(59));
        assertEquals(ClassSet.pascalContext().colours()[0], data.classes().colours()[1]);
        assertEquals("pascal-context-60", ClassSet.forModel(null, 60).name());
    }

    @Test
    void ade20kChallengeFolderPairsByNameAndShiftsLabels() {
        write(root.resolve("objectInfo150.txt"), "Idx\tRatio\tTrain\tVal\tName\n");
        write(root.resolve("sceneCategories.txt"), "ADE_train_00000001 airport_terminal\n");
        for (int n = 1; n <= 2; n++) {
            String name = "ADE_train_0000000" + n;
            SampleFiles.picture(root.resolve("images/training").resolve(name + ".jpg"), 3, 1);
            SampleFiles.greyLabels(root.resolve("annotations/training").resolve(name + ".png"), 3, 1, 0, n, 150);
        }
        SampleFiles.picture(root.resolve("images/validation/ADE_val_00000001.jpg"), 1, 1);
        SampleFiles.greyLabels(root.resolve("annotations/validation/ADE_val_00000001.png"), 1, 1, 3);
        SegmentationDataset train = SegmentationDataset.open("auto", root, "train", BadSamples.failFast());
        assertEquals("ade20k", train.layoutId());
        assertEquals(2, train.size());
        assertEquals(root.resolve("annotations/training/ADE_train_00000002.png"), train.sample(1).label());
        assertArrayEquals(new int[] {255, 1, 149}, train.load(1).label().values());
        SegmentationDataset val = SegmentationDataset.open("ade20k", root, "val", BadSamples.failFast());
        assertArrayEquals(new int[] {2}, val.load(0).label().values());
    }

    @Test
    void cocoStuff164kPrefersLabelTrainIdsOverTheRawStuffthingmaps() {
        SampleFiles.picture(root.resolve("images/val2017/000000000139.jpg"), 3, 1);
        // Raw stuffthingmaps are indexed PNGs: 0 = person ... 181, 255 unlabeled; 12 would become 11.
        SampleFiles.paletteLabels(root.resolve("annotations/val2017/000000000139.png"), 3, 1, 12, 181, 255);
        SampleFiles.greyLabels(root.resolve("annotations/val2017/000000000139_labelTrainIds.png"), 3, 1, 11, 170, 255);
        SampleFiles.picture(root.resolve("images/train2017/000000000009.jpg"), 2, 1);
        SampleFiles.paletteLabels(root.resolve("annotations/train2017/000000000009.png"), 2, 1, 90, 91);
        SegmentationDataset val = SegmentationDataset.open("auto", root, "val", BadSamples.failFast());
        assertEquals("coco-stuff", val.layoutId());
        assertEquals(1, val.size());
        assertTrue(val.sample(0).label().toString().endsWith("000000000139_labelTrainIds.png"));
        assertArrayEquals(new int[] {11, 170, 255}, val.load(0).label().values());
        // train2017 holds only the raw maps: 90 is one of the 11 unused ids, 91 the 81st used one.
        SegmentationDataset train = SegmentationDataset.open("coco-stuff", root, "train", BadSamples.failFast());
        DanetException e = assertThrows(DanetException.class, () -> train.load(0));
        assertTrue(e.getMessage().contains("label value 90 at x=0, y=0"), e.getMessage());
    }

    @Test
    void cocoStuff10kFromMmsegIgnoresZeroAndShiftsDown() {
        String name = "COCO_train2014_000000000077";
        SampleFiles.picture(root.resolve("images/train2014").resolve(name + ".jpg"), 3, 1);
        SampleFiles.greyLabels(root.resolve("annotations/train2014").resolve(name + "_labelTrainIds.png"), 3, 1, 0, 1, 171);
        SampleFiles.picture(root.resolve("images/test2014/COCO_train2014_000000000139.jpg"), 1, 1);
        SampleFiles.greyLabels(root.resolve("annotations/test2014/COCO_train2014_000000000139_labelTrainIds.png"),
                1, 1, 12);
        SegmentationDataset train = SegmentationDataset.open("auto", root, "train", BadSamples.failFast());
        assertEquals("coco-stuff-10k", train.layoutId());
        assertEquals(name, train.sample(0).id());
        assertArrayEquals(new int[] {255, 0, 170}, train.load(0).label().values());
        assertEquals("person", train.classes().names().get(0));
        SegmentationDataset val = SegmentationDataset.open("coco-stuff-10k", root, "val", BadSamples.failFast());
        assertArrayEquals(new int[] {11}, val.load(0).label().values());
    }

    @Test
    void parentOfAVocdevkitIsRefusedWithTheRootToPass() {
        SampleFiles.picture(root.resolve("VOCdevkit/VOC2012/JPEGImages/a.jpg"), 1, 1);
        SampleFiles.paletteLabels(root.resolve("VOCdevkit/VOC2012/SegmentationClass/a.png"), 1, 1, 0);
        DanetException e = assertThrows(DanetException.class,
                () -> SegmentationDataset.open("auto", root, "train", BadSamples.failFast()));
        assertTrue(e.getMessage().startsWith(root + ": cannot tell the dataset layout; did you mean --data "
                + root.resolve("VOCdevkit/VOC2012") + "?"), e.getMessage());
    }

    @Test
    void missingSplitFolderNamesTheFoldersThatExist() throws IOException {
        Files.createDirectories(root.resolve("images/training"));
        Files.createDirectories(root.resolve("annotations/training"));
        DanetException e = assertThrows(DanetException.class,
                () -> SegmentationDataset.open("ade20k", root, "val", BadSamples.failFast()));
        String message = e.getMessage();
        assertTrue(message.startsWith(root.resolve("images/validation") + ": no such folder"), message);
        assertTrue(message.contains("annotations/{training,validation}/NAME.png") && message.endsWith(
                "images/ holds [training])"), message);
    }

    /** VOC2010 after mmseg's pascal_context.py: the VOC labels are there too. */
    private void contextFolder() {
        writeLines(root.resolve("ImageSets/SegmentationContext/val.txt"), "2008_000002");
        writeLines(root.resolve("ImageSets/Segmentation/val.txt"), "2008_000002");
        SampleFiles.picture(root.resolve("JPEGImages/2008_000002.jpg"), 4, 1);
        SampleFiles.paletteLabels(root.resolve("SegmentationClass/2008_000002.png"), 4, 1, 0, 0, 0, 0);
        SampleFiles.greyLabels(root.resolve("SegmentationClassContext/2008_000002.png"), 4, 1, 0, 1, 59, 255);
    }

    private static void writeLines(Path file, String... lines) {
        write(file, String.join("\n", lines) + "\n");
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
