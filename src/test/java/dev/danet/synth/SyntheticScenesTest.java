package dev.danet.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.data.BadSamples;
import dev.danet.data.LabeledImage;
import dev.danet.data.SegmentationDataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticScenesTest {

    private static final SyntheticScenes.Options SMALL = new SyntheticScenes.Options(12, 4, 128, 256, 7);

    @TempDir
    static Path shared;

    private static Path defaultRoot;
    private static SyntheticScenes.Summary defaultSummary;

    @BeforeAll
    static void generateDefaultSet() {
        defaultRoot = shared.resolve("default");
        defaultSummary = SyntheticScenes.generate(defaultRoot, SyntheticScenes.Options.defaults());
        System.out.println("default synthetic set: " + defaultSummary + " on "
                + Runtime.getRuntime().availableProcessors() + " cores");
    }

    // ------------------------------------------------------------------ speed, layout, format

    @Test
    void defaultSetIsGeneratedInAFewSeconds() {
        assertFalse(defaultSummary.skipped());
        assertEquals(300, defaultSummary.trainImages());
        assertEquals(60, defaultSummary.valImages());
        assertEquals(720, defaultSummary.files());
        assertEquals(defaultRoot, defaultSummary.root());
        // Printed above; measured ~2 s on 2 cores. Only a gross regression fails here.
        assertTrue(defaultSummary.elapsed().toSeconds() < 60, defaultSummary.toString());
    }

    @Test
    void filesFollowTheCityscapesLayoutAndNoTemporaryFileRemains() throws IOException {
        Set<String> expected = new TreeSet<>();
        for (String split : List.of("train", "val")) {
            int n = split.equals("train") ? 300 : 60;
            for (int i = 0; i < n; i++) {
                String stem = String.format("synth_%06d_000019", i);
                expected.add("leftImg8bit/" + split + "/synth/" + stem + "_leftImg8bit.png");
                expected.add("gtFine/" + split + "/synth/" + stem + "_gtFine_labelIds.png");
            }
        }
        expected.add("synthetic.json");
        assertEquals(expected, relativeFiles(defaultRoot));
        assertEquals(defaultRoot.resolve("leftImg8bit/val/synth/synth_000042_000019_leftImg8bit.png"),
                SyntheticScenes.imagePath(defaultRoot, "val", 42));
        assertEquals(defaultRoot.resolve("gtFine/val/synth/synth_000042_000019_gtFine_labelIds.png"),
                SyntheticScenes.labelPath(defaultRoot, "val", 42));
    }

    @Test
    void imagesAre8BitRgbPngsAndLabelsAre8BitGreyPngsOfTheRightSize() throws IOException {
        for (int i : new int[] {0, 17, 59}) {
            BufferedImage image = ImageIO.read(SyntheticScenes.imagePath(defaultRoot, "val", i).toFile());
            BufferedImage label = ImageIO.read(SyntheticScenes.labelPath(defaultRoot, "val", i).toFile());
            assertEquals(256, image.getWidth());
            assertEquals(128, image.getHeight());
            assertEquals(3, image.getColorModel().getNumComponents());
            assertEquals(24, image.getColorModel().getPixelSize());
            assertEquals(256, label.getWidth());
            assertEquals(128, label.getHeight());
            assertEquals(1, label.getColorModel().getNumComponents());
            assertEquals(8, label.getColorModel().getPixelSize());
        }
    }

    @Test
    void labelMapsHoldOnlyTheDeclaredCityscapesLabelIds() throws IOException {
        Set<Integer> declared = SyntheticClass.all().stream().map(SyntheticClass::labelId).collect(Collectors.toSet());
        assertEquals(Set.of(0, 7, 8, 11, 12, 13, 17, 20, 21, 22, 23, 24, 26, 27, 28), declared);
        Set<Integer> seen = new TreeSet<>();
        for (String split : List.of("train", "val")) {
            int n = split.equals("train") ? 300 : 60;
            for (int i = 0; i < n; i++) {
                BufferedImage label = ImageIO.read(SyntheticScenes.labelPath(defaultRoot, split, i).toFile());
                int[] values = label.getRaster().getPixels(0, 0, label.getWidth(), label.getHeight(), (int[]) null);
                for (int v : values) {
                    seen.add(v);
                }
            }
        }
        assertTrue(declared.containsAll(seen), "undeclared labelIds: " + seen);
        assertEquals(declared, seen, "every declared class occurs somewhere");
    }

    @Test
    void theProjectsCityscapesReaderReadsTheSetAsPainted() {
        SegmentationDataset val = SegmentationDataset.open("cityscapes", defaultRoot, "val", BadSamples.failFast());
        assertEquals(60, val.size());
        SegmentationDataset auto = SegmentationDataset.open("auto", defaultRoot, "train", BadSamples.failFast());
        assertEquals("cityscapes", auto.layoutId());
        assertEquals(300, auto.size());
        for (int k : new int[] {0, 31}) {
            LabeledImage sample = val.load(k);
            int index = Integer.parseInt(sample.id().substring("synth_".length(), "synth_".length() + 6));
            PaintedScene scene = SyntheticScenes.paint(SyntheticScenes.Options.defaults(), "val", index);
            for (int y = 0; y < 128; y++) {
                for (int x = 0; x < 256; x++) {
                    int c = scene.colour(x, y);
                    assertEquals(Colour.red(c), sample.image().red(x, y));
                    assertEquals(Colour.green(c), sample.image().green(x, y));
                    assertEquals(Colour.blue(c), sample.image().blue(x, y));
                    int trainId = SyntheticClass.ofLabelId(scene.labelId(x, y)).trainId();
                    assertEquals(trainId, sample.label().get(x, y), "trainId at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void manifestRecordsOptionsVersionClassesFrequenciesAndCues() throws IOException {
        JsonNode json = new ObjectMapper().readTree(defaultRoot.resolve("synthetic.json").toFile());
        assertEquals(SyntheticScenes.GENERATOR_VERSION, json.get("generatorVersion").asInt());
        assertEquals(300, json.at("/options/trainImages").asInt());
        assertEquals(1, json.at("/options/seed").asLong());
        assertEquals(15, json.get("classes").size());
        double sum = 0;
        for (JsonNode f : json.at("/pixelFrequencies/train")) {
            sum += f.asDouble();
        }
        assertEquals(1.0, sum, 1e-4);
        assertTrue(json.at("/pixelFrequencies/train/car").asDouble() > 0.005);
        assertTrue(json.at("/pixelFrequencies/train/truck").asDouble() > 0.005);
        assertEquals(360, json.get("images").size());
        JsonNode first = json.get("images").get(0);
        SceneCues cues = SceneCues.balanced(1, "train", 0);
        assertEquals(cues.vehicleClass().cityscapesName(), first.get("vehicleClass").asText());
        assertEquals(cues.groundClass().cityscapesName(), first.get("groundClass").asText());
    }

    // ------------------------------------------------------------------ determinism and regeneration

    @Test
    void sameSeedGivesByteIdenticalFilesWhateverTheThreadCount(@TempDir Path a, @TempDir Path b) throws IOException {
        SyntheticScenes.generate(a, SMALL, 1);
        SyntheticScenes.generate(b, SMALL, 3);
        Set<String> files = relativeFiles(a);
        assertEquals(files, relativeFiles(b));
        assertEquals(2 * 16 + 1, files.size());
        for (String f : files) {
            assertEquals(-1L, Files.mismatch(a.resolve(f), b.resolve(f)), f);
        }
    }

    @Test
    void differentSeedGivesDifferentImages(@TempDir Path a, @TempDir Path b) throws IOException {
        SyntheticScenes.generate(a, SMALL);
        SyntheticScenes.generate(b, new SyntheticScenes.Options(12, 4, 128, 256, 8));
        for (int i = 0; i < 12; i++) {
            Path ia = SyntheticScenes.imagePath(a, "train", i);
            assertTrue(Files.mismatch(ia, SyntheticScenes.imagePath(b, "train", i)) >= 0, "image " + i);
            assertTrue(Files.mismatch(SyntheticScenes.labelPath(a, "train", i),
                    SyntheticScenes.labelPath(b, "train", i)) >= 0, "label " + i);
        }
        // and the splits are different scenes too
        assertTrue(Files.mismatch(SyntheticScenes.imagePath(a, "train", 0), SyntheticScenes.imagePath(a, "val", 0)) >= 0);
    }

    @Test
    void regenerationWithTheSameOptionsIsSkipped(@TempDir Path root) throws IOException {
        SyntheticScenes.Summary first = SyntheticScenes.generate(root, SMALL);
        assertFalse(first.skipped());
        Path image = SyntheticScenes.imagePath(root, "train", 3);
        FileTime old = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(image, old);
        Files.setLastModifiedTime(root.resolve("synthetic.json"), old);

        SyntheticScenes.Summary second = SyntheticScenes.generate(root, SMALL);
        assertTrue(second.skipped());
        assertEquals(12, second.trainImages());
        assertTrue(second.elapsed().toMillis() < 2000, second.toString());
        assertEquals(old, Files.getLastModifiedTime(image), "nothing rewritten");
        assertEquals(old, Files.getLastModifiedTime(root.resolve("synthetic.json")));
    }

    @Test
    void otherOptionsOrAMissingFileRegenerateAndDropStaleImages(@TempDir Path root) throws IOException {
        SyntheticScenes.generate(root, SMALL);
        SyntheticScenes.Options fewer = new SyntheticScenes.Options(5, 2, 128, 256, 7);
        assertFalse(SyntheticScenes.generate(root, fewer).skipped());
        assertEquals(2 * 7 + 1, relativeFiles(root).size(), "images 5.. of train and 2.. of val removed");
        // an interrupted run leaves no manifest (it is written last): the next call regenerates
        Files.delete(SyntheticScenes.labelPath(root, "val", 1));
        assertFalse(SyntheticScenes.generate(root, fewer).skipped());
        assertTrue(Files.isRegularFile(SyntheticScenes.labelPath(root, "val", 1)));
        Files.delete(root.resolve("synthetic.json"));
        assertFalse(SyntheticScenes.generate(root, fewer).skipped());
        assertTrue(SyntheticScenes.generate(root, fewer).skipped());
    }

    // ------------------------------------------------------------------ the long-range ambiguities

    @Test
    void ambiguousClassesAreBalancedFiftyFifty() throws IOException {
        JsonNode balance = new ObjectMapper().readTree(defaultRoot.resolve("synthetic.json").toFile()).get("balance");
        assertEquals(150, balance.at("/train/carImages").asInt());
        assertEquals(150, balance.at("/train/truckImages").asInt());
        assertEquals(150, balance.at("/train/roadImages").asInt());
        assertEquals(150, balance.at("/train/terrainImages").asInt());
        assertEquals(30, balance.at("/val/carImages").asInt());
        assertEquals(30, balance.at("/val/roadImages").asInt());
        // the two cues are independent: each combination a quarter of the time, for any seed
        for (long seed : new long[] {1, 2, 99}) {
            int[] combos = new int[4];
            for (int i = 0; i < 400; i++) {
                SceneCues c = SceneCues.balanced(seed, "train", i);
                combos[(c.vehicleClass() == SyntheticClass.CAR ? 0 : 1) + (c.groundClass() == SyntheticClass.ROAD ? 0 : 2)]++;
            }
            assertArrayEquals(new int[] {100, 100, 100, 100}, combos);
        }
    }

    @Test
    void swappingTheVehicleCueChangesOnlyTheZoneSignAndTheVehicleLabels() {
        int w = 256;
        for (int i = 0; i < 40; i++) {
            PaintedScene a = ScenePainter.paint(1, "train", i, 128, w);
            PaintedScene b = ScenePainter.paint(1, "train", i, 128, w, a.cues().withOtherVehicle());
            assertArrayEquals(a.markerBox(), b.markerBox());
            assertEquals(a.vehicles(), b.vehicles());
            int[] box = a.markerBox();
            int la = a.cues().vehicleClass().labelId();
            int lb = b.cues().vehicleClass().labelId();
            int vehiclePixels = 0;
            for (int y = 0; y < 128; y++) {
                for (int x = 0; x < w; x++) {
                    boolean inBox = x >= box[0] && x < box[2] && y >= box[1] && y < box[3];
                    if (!inBox) {
                        assertEquals(a.colour(x, y), b.colour(x, y), "image " + i + " pixel " + x + "," + y);
                    }
                    if (a.labelId(x, y) == la) {
                        vehiclePixels++;
                        assertEquals(lb, b.labelId(x, y));
                        int gap = x < box[0] ? box[0] - x : x - box[2] + 1;
                        assertTrue(gap >= ScenePainter.MIN_CUE_GAP * w, "vehicle pixel " + gap + " px from the sign");
                    } else if (!inBox) {
                        assertEquals(a.labelId(x, y), b.labelId(x, y));
                    }
                }
            }
            assertTrue(vehiclePixels >= 20, "image " + i + " shows its ambiguous vehicles: " + vehiclePixels);
        }
    }

    @Test
    void swappingTheGroundCueChangesOnlyTheFarLaneMarkingsAndTheSurfaceLabel() {
        int road = SyntheticClass.ROAD.labelId();
        int terrain = SyntheticClass.TERRAIN.labelId();
        for (int i = 0; i < 40; i++) {
            PaintedScene s = ScenePainter.paint(1, "train", i, 128, 256);
            SceneCues roadCues = new SceneCues(s.cues().vehicleClass(), SyntheticClass.ROAD);
            PaintedScene a = ScenePainter.paint(1, "train", i, 128, 256, roadCues);
            PaintedScene b = ScenePainter.paint(1, "train", i, 128, 256, roadCues.withOtherGround());
            assertTrue(a.markingPixels() >= 30, "image " + i + " shows lane markings: " + a.markingPixels());
            assertEquals(0, b.markingPixels());
            assertTrue(a.markingRows() <= 0.72 * 128, "markings only in the upper part: " + a.markingRows());
            int surfaceBelow = 0;
            for (int y = 0; y < 128; y++) {
                for (int x = 0; x < 256; x++) {
                    if (y > a.markingRows()) { // +1 row for the camera blur
                        assertEquals(a.colour(x, y), b.colour(x, y), "image " + i + " pixel " + x + "," + y);
                    }
                    int la = a.labelId(x, y);
                    int lb = b.labelId(x, y);
                    if (la != lb) {
                        assertEquals(road, la);
                        assertEquals(terrain, lb);
                    }
                    if (la == road && y > a.markingRows()) {
                        surfaceBelow++;
                    }
                }
            }
            assertTrue(surfaceBelow > 1500, "image " + i + ": the near surface is large: " + surfaceBelow);
        }
    }

    @Test
    void carAndTruckVehiclesHaveTheSameColourAndSizeDistributionWhileTheirCueDiffers() {
        int n = 400;
        List<PaintedScene> scenes = IntStream.range(0, n).parallel()
                .mapToObj(i -> ScenePainter.paint(3, "train", i, 128, 256)).toList();
        // per image: mean r, g, b of its ambiguous-vehicle pixels, their count, and the sign's (blue - red)
        List<double[]> cars = new ArrayList<>();
        List<double[]> trucks = new ArrayList<>();
        int signLabel = SyntheticClass.TRAFFIC_SIGN.labelId();
        for (PaintedScene s : scenes) {
            int label = s.cues().vehicleClass().labelId();
            long[] counts = s.labelCounts();
            int other = s.cues().vehicleClass() == SyntheticClass.CAR ? SyntheticClass.TRUCK.labelId()
                    : SyntheticClass.CAR.labelId();
            assertEquals(0, counts[other], "one vehicle class per image");
            double r = 0;
            double g = 0;
            double b = 0;
            double sign = 0;
            int signPixels = 0;
            int[] box = s.markerBox();
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) {
                    int c = s.colour(x, y);
                    if (s.labelId(x, y) == label) {
                        r += Colour.red(c);
                        g += Colour.green(c);
                        b += Colour.blue(c);
                    } else if (s.labelId(x, y) == signLabel && x >= box[0] && x < box[2] && y >= box[1] && y < box[3]) {
                        sign += Colour.blue(c) - Colour.red(c);
                        signPixels++;
                    }
                }
            }
            long k = counts[label];
            assertTrue(k > 0 && signPixels > 0);
            double[] stats = {r / k, g / k, b / k, k, sign / signPixels};
            (label == SyntheticClass.CAR.labelId() ? cars : trucks).add(stats);
        }
        assertEquals(n / 2, cars.size());
        String[] names = {"red", "green", "blue", "pixels per image", "zone sign blue-red"};
        for (int f = 0; f < 5; f++) {
            double[] mc = meanAndStandardError(cars, f);
            double[] mt = meanAndStandardError(trucks, f);
            double z = Math.abs(mc[0] - mt[0]) / Math.hypot(mc[1], mt[1]);
            System.out.printf("%-20s car %.1f +- %.1f   truck %.1f +- %.1f   z = %.2f%n", names[f], mc[0], mc[1], mt[0], mt[1], z);
            if (f < 4) {
                assertTrue(z < 3.5, names[f] + ": car and truck vehicles differ (z = " + z + ")");
            } else {
                assertTrue(z > 20 && Math.abs(mc[0] - mt[0]) > 100, "the cue tells them apart (z = " + z + ")");
            }
        }
    }

    @Test
    void everyImageHasBothAmbiguitiesAndNoOtherCarsOrTrucks() {
        for (int i = 0; i < 120; i++) {
            PaintedScene s = ScenePainter.paint(5, "val", i, 128, 256);
            assertTrue(s.vehicles() >= 1);
            long[] counts = s.labelCounts();
            assertTrue(counts[s.cues().vehicleClass().labelId()] >= 20, "image " + i);
            assertTrue(counts[s.cues().groundClass().labelId()] > 128 * 256 / 10, "image " + i);
            if (s.cues().groundClass() == SyntheticClass.ROAD) {
                assertTrue(s.markingPixels() >= 30, "image " + i + ": " + s.markingPixels());
            } else {
                assertEquals(0, s.markingPixels());
            }
        }
    }

    @Test
    void optionsAreValidated() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SyntheticScenes.Options(-1, 1, 128, 256, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SyntheticScenes.Options(1, 1, 16, 256, 1));
        assertNotNull(SyntheticScenes.Options.defaults());
    }

    // ------------------------------------------------------------------ helpers

    private static double[] meanAndStandardError(List<double[]> rows, int f) {
        double mean = rows.stream().mapToDouble(r -> r[f]).average().orElseThrow();
        double var = rows.stream().mapToDouble(r -> (r[f] - mean) * (r[f] - mean)).sum() / (rows.size() - 1);
        return new double[] {mean, Math.sqrt(var / rows.size())};
    }

    private static Set<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            Set<String> out = new HashSet<>();
            walk.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
            return new TreeSet<>(out);
        }
    }
}
