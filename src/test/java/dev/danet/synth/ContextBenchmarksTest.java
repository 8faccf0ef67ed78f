package dev.danet.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.DanetException;
import dev.danet.data.BadSamples;
import dev.danet.data.LabeledImage;
import dev.danet.data.SegmentationDataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Writing the benchmarks: layout, manifest, determinism, regeneration, and the project's reader. */
class ContextBenchmarksTest {

    private static final SyntheticScenes.Options SMALL = new SyntheticScenes.Options(16, 8, 128, 256, 3);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ContextBenchmark.class)
    void writesTheCityscapesLayoutThatTheProjectsReaderReadsAsPainted(ContextBenchmark b) throws IOException {
        Path root = dir.resolve(b.id());
        ContextBenchmarks.Summary summary = ContextBenchmarks.generate(root, b, SMALL);
        assertFalse(summary.skipped());
        Set<String> files = relativeFiles(root);
        assertEquals(2 * 24 + 1, files.size());
        assertTrue(files.contains("leftImg8bit/val/" + b.id() + "/" + b.id() + "_000007_000019_leftImg8bit.png"), files.toString());
        assertTrue(files.contains("gtFine/train/" + b.id() + "/" + b.id() + "_000015_000019_gtFine_labelIds.png"));
        assertTrue(files.contains(ContextBenchmarks.MANIFEST));

        SegmentationDataset val = SegmentationDataset.open("auto", root, "val", BadSamples.failFast());
        assertEquals("cityscapes", val.layoutId());
        assertEquals(8, val.size());
        LabeledImage sample = val.load(5);
        int index = Integer.parseInt(sample.id().substring(b.id().length() + 1, b.id().length() + 7));
        BenchmarkScene scene = ContextBenchmarks.paint(b, SMALL, "val", index);
        for (int y = 0; y < 128; y += 3) {
            for (int x = 0; x < 256; x += 3) {
                assertEquals(scene.colour(x, y) >> 16 & 0xff, sample.image().red(x, y));
                assertEquals(scene.colour(x, y) & 0xff, sample.image().blue(x, y));
                assertEquals(SyntheticClass.ofLabelId(scene.labelId(x, y)).trainId(), sample.label().get(x, y));
            }
        }
        BufferedImage label = ImageIO.read(ContextBenchmarks.labelPath(root, b, "train", 0).toFile());
        assertEquals(8, label.getColorModel().getPixelSize(), "8-bit grey labelIds");
    }

    @ParameterizedTest
    @EnumSource(ContextBenchmark.class)
    void theManifestRecordsTheRuleTheBalanceAndTheLocalOraclesChanceLevel(ContextBenchmark b) throws IOException {
        Path root = dir.resolve(b.id());
        ContextBenchmarks.generate(root, b, SMALL);
        JsonNode json = new ObjectMapper().readTree(root.resolve(ContextBenchmarks.MANIFEST).toFile());
        assertEquals(b.id(), json.get("benchmark").asText());
        assertEquals(ContextBenchmarks.GENERATOR_VERSION, json.get("generatorVersion").asInt());
        assertEquals(b.rule(), json.get("rule").asText());
        assertEquals(24, json.get("images").size());
        assertEquals(b.contextClasses().size(), json.get("contextClasses").size());
        for (String split : SyntheticScenes.SPLITS) {
            JsonNode s = json.at("/splits/" + split);
            JsonNode oracle = s.get("localOracle");
            double expected = b == ContextBenchmark.CONTROL ? 1.0 : 0.5;
            assertEquals(expected, oracle.get("bestAccuracy").asDouble(), 1e-12, b.id() + " " + split);
            if (b.street()) {
                assertTrue(oracle.get("vehiclePixels").asLong() > 0);
                assertEquals(s.get("images").asInt() / 2, s.at("/imagesByVehicleClass/car").asInt(), "balanced");
            } else {
                assertTrue(oracle.get("innerPixels").asLong() > 0);
                double all = oracle.get("bestAccuracyOnAllShapePixels").asDouble();
                assertTrue(all > 0.5 && all < 1.0, "near the outlines the oracle sees it: " + all);
            }
        }
        JsonNode first = json.get("images").get(0);
        assertEquals(0, first.get("pair").asInt());
        assertTrue(first.get("objects").size() >= (b.street() ? 3 : 3));
    }

    @Test
    void sameOptionsGiveByteIdenticalFilesWhateverTheThreadCountAndASecondCallIsSkipped() throws IOException {
        Path a = dir.resolve("a");
        Path c = dir.resolve("c");
        ContextBenchmarks.generate(a, ContextBenchmark.PAIRING, SMALL, 1);
        ContextBenchmarks.generate(c, ContextBenchmark.PAIRING, SMALL, 3);
        Set<String> files = relativeFiles(a);
        assertEquals(files, relativeFiles(c));
        for (String f : files) {
            assertEquals(-1L, Files.mismatch(a.resolve(f), c.resolve(f)), f);
        }
        ContextBenchmarks.Summary again = ContextBenchmarks.generate(a, ContextBenchmark.PAIRING, SMALL);
        assertTrue(again.skipped(), again.toString());
        // fewer images: regenerated, and the files past the new counts are gone
        SyntheticScenes.Options fewer = new SyntheticScenes.Options(6, 2, 128, 256, 3);
        assertFalse(ContextBenchmarks.generate(a, ContextBenchmark.PAIRING, fewer).skipped());
        assertEquals(2 * 8 + 1, relativeFiles(a).size());
    }

    @Test
    void aDefaultSizedBenchmarkIsWrittenInSecondsAndEveryDefaultStreetHasItsBusAndVehicles() throws IOException {
        ContextBenchmarks.Summary s = ContextBenchmarks.generate(dir.resolve("weather"), ContextBenchmark.WEATHER,
                SyntheticScenes.Options.defaults());
        System.out.println("default-sized benchmark: " + s + " on " + Runtime.getRuntime().availableProcessors() + " cores");
        assertEquals(300, s.trainImages());
        assertTrue(s.elapsed().toSeconds() < 60, s.toString());
        // weather, sign and pairing share these streets; the control's differ where it has box trucks
        JsonNode images = new ObjectMapper().readTree(dir.resolve("weather").resolve(ContextBenchmarks.MANIFEST).toFile())
                .get("images");
        assertEquals(360, images.size());
        for (JsonNode image : images) {
            long buses = 0;
            long vehicles = 0;
            for (JsonNode o : image.get("objects")) {
                buses += o.get("kind").asText().equals("bus") ? 1 : 0;
                vehicles += o.get("kind").asText().equals("look alike vehicle") ? 1 : 0;
            }
            assertEquals(1, buses, image.toString());
            assertTrue(vehicles >= 1 && image.get("vehiclePixels").asLong() >= 20, image.toString());
        }
        SyntheticScenes.Options d = SyntheticScenes.Options.defaults();
        for (String split : SyntheticScenes.SPLITS) {
            long missing = java.util.stream.IntStream.range(0, d.images(split)).parallel()
                    .mapToObj(i -> ContextBenchmarks.paint(ContextBenchmark.CONTROL, d, split, i))
                    .filter(c -> c.objects(BenchmarkObject.Kind.BUS).size() != 1 || c.labelCounts()[c.contextClass().labelId()] < 20)
                    .count();
            assertEquals(0, missing, "control " + split + ": images without their bus or vehicles");
        }
    }

    @Test
    void aFolderHoldingOtherImagesIsRefusedWithOneLine() {
        Path root = dir.resolve("mixed");
        SyntheticScenes.generate(root, new SyntheticScenes.Options(2, 1, 64, 64, 1));
        DanetException e = assertThrows(DanetException.class,
                () -> ContextBenchmarks.generate(root, ContextBenchmark.SIGN, SMALL));
        assertTrue(e.getMessage().contains("already holds other images") && e.getMessage().contains("data/benchmarks/sign"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void namesParseAndUnknownOnesListTheValidOnes() {
        assertEquals(ContextBenchmark.WEATHER, ContextBenchmark.parse(" Weather "));
        DanetException e = assertThrows(DanetException.class, () -> ContextBenchmark.parse("fog"));
        assertTrue(e.getMessage().contains("weather, sign, pairing, control, scale"), e.getMessage());
    }

    private static Set<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            Set<String> out = new TreeSet<>();
            walk.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
            return out;
        }
    }
}
