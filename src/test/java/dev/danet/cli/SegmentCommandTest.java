package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.data.ClassSet;
import dev.danet.data.ImageDecoder;
import dev.danet.data.LabelGrid;
import dev.danet.data.Normalization;
import dev.danet.data.RgbImage;
import dev.danet.io.ModelLoader;
import dev.danet.io.Npy;
import dev.danet.io.TensorData;
import dev.danet.nn.HeadType;
import dev.danet.nn.Network;
import dev.danet.testing.BadImages;
import dev.danet.testing.ProbeImages;
import dev.danet.testing.TinyModels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `danet segment`: the pictures it writes are the model's prediction, and bad files get one line. */
class SegmentCommandTest {

    @TempDir
    static Path shared;

    private static Path weights;

    @TempDir
    Path dir;

    @BeforeAll
    static void model() {
        weights = TinyModels.save(shared.resolve("tiny.danet"), HeadType.DANET);
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    /** The model's argmax on the whole image, computed directly. */
    private static int[] directArgmax(Path image) {
        RgbImage photo = ImageDecoder.readRgb(image);
        try (Network network = ModelLoader.load(weights, ModelLoader.Options.defaults(), new PrintStream(
                java.io.OutputStream.nullOutputStream())); NDManager m = network.manager().newSubManager()) {
            NDArray x = m.create(Normalization.toChw(photo), new Shape(1, 3, photo.height(), photo.width()));
            return network.predict(x).argMax(1).toType(DataType.INT32, false).toIntArray();
        }
    }

    @Test
    void eachImageGetsALabelPngOfTheModelsClassIndicesAColourPngAndAnOverlay() throws Exception {
        Path image = write(dir.resolve("street.png"), BadImages.png(40, 30, 1));
        Path out = dir.resolve("out");
        CliRunner.Result r = CliRunner.run("segment", "--weights", weights.toString(), image.toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());

        LabelGrid label = ImageDecoder.readLabels(out.resolve("street_label.png"));
        int[] expected = directArgmax(image);
        assertEquals(40, label.width());
        assertEquals(30, label.height());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], label.values()[i], "pixel " + i);
        }
        ClassSet classes = ClassSet.forModel(TinyModels.CLASSES, 3);
        var colour = ImageIO.read(out.resolve("street_colour.png").toFile());
        assertEquals(classes.colours()[expected[5]], colour.getRGB(5, 0) & 0xffffff);
        var overlay = ImageIO.read(out.resolve("street_overlay.png").toFile());
        assertEquals(40, overlay.getWidth());
        assertEquals(List.of("dark 128 0 0", "grey 0 128 0", "square 128 128 0"),
                Files.readAllLines(out.resolve("classes.txt")).stream().filter(l -> !l.startsWith("#")).toList());
        assertTrue(r.out().contains("segmented 1 image(s)"), r.out());
    }

    @Test
    void foldersAreSearchedAndMirroredAndScoresAreSavedOnRequest() throws Exception {
        Path in = dir.resolve("photos");
        write(in.resolve("a.png"), BadImages.png(33, 21, 2));
        write(in.resolve("sub/b.png"), BadImages.png(20, 36, 3));
        Path out = dir.resolve("out");
        CliRunner.Result r = CliRunner.run("segment", "--weights", weights.toString(), in.toString(),
                "--out", out.toString(), "--logits", "--probabilities", "--scales", "0.75,1.0", "--flip");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("sub/b_overlay.png")));
        TensorData logits = Npy.read(out.resolve("sub/b_logits.npy"));
        TensorData probs = Npy.read(out.resolve("sub/b_probs.npy"));
        assertEquals(List.of(3L, 36L, 20L), java.util.Arrays.stream(logits.shape()).boxed().toList());
        float[] l = logits.toFloats();
        float[] p = probs.toFloats();
        int plane = 36 * 20;
        LabelGrid label = ImageDecoder.readLabels(out.resolve("sub/b_label.png"));
        for (int i = 0; i < plane; i += 13) {
            double sum = p[i] + p[plane + i] + p[2 * plane + i];
            assertEquals(1.0, sum, 1e-5, "probabilities sum to 1 at " + i);
            int best = l[i] >= l[plane + i] && l[i] >= l[2 * plane + i] ? 0 : l[plane + i] >= l[2 * plane + i] ? 1 : 2;
            assertEquals(best, label.values()[i], "label = argmax of the saved logits at " + i);
        }
    }

    @Test
    void imagesLargerThanTheCropRunAsSlidingWindows() throws Exception {
        Path image = write(dir.resolve("wide.png"), BadImages.png(120, 50, 4));
        Path out = dir.resolve("out");
        CliRunner.Result r = CliRunner.run("segment", "--weights", weights.toString(), image.toString(),
                "--out", out.toString(), "--crop", "48");
        assertEquals(0, r.code(), r.err());
        assertEquals(120, ImageDecoder.readLabels(out.resolve("wide_label.png")).width());
    }

    @Test
    void aThinStripThatWouldTakeTooManyWindowsIsRefusedWithOneLine() throws Exception {
        // 200000 pixels, far under --max-pixels, but padded to 587 windows of 512 x 512 (the limit: 450).
        Path image = write(dir.resolve("strip.png"), ProbeImages.png(200_000, 1));
        Path out = dir.resolve("out");
        CliRunner.Result r = CliRunner.run("segment", "--weights", weights.toString(), image.toString(),
                "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("error: " + image + ": a 200000x1 image takes 587 windows of 512x512, more than the limit of 450"
                + " per image; crop it into parts or shrink it", last);
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(out.resolve("strip_label.png")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zero-byte", "truncated", "not-an-image", "tiff", "20000x20000"})
    void aBadFileGivesOneClearLineAndWritesNothing(String kind) throws Exception {
        byte[] bytes = switch (kind) {
            case "zero-byte" -> new byte[0];
            case "truncated" -> BadImages.truncatedPng();
            case "not-an-image" -> BadImages.notAnImage();
            case "tiff" -> ProbeImages.plain(16, 8, "tiff");
            default -> BadImages.hugePngHeader(20_000, 20_000);
        };
        Path image = write(dir.resolve(kind + ".png"), bytes);
        Path out = dir.resolve("out");
        CliRunner.Result r = CliRunner.run("segment", "--weights", weights.toString(), image.toString(),
                "--out", out.toString());
        String why = switch (kind) {
            case "zero-byte" -> "empty (0 bytes)";
            case "truncated" -> "truncated";
            case "not-an-image" -> "not an image file";
            case "tiff" -> "not an image file in a supported format (supported: PNG, JPEG, BMP, GIF)";
            default -> "400000000 pixels, more than the limit";
        };
        r.assertOneErrorLine(image.toString());
        assertTrue(r.err().contains(why), r.err());
        assertFalse(Files.exists(out) && hasFiles(out), "nothing written");
    }

    @Test
    void aFolderWithSomeBadFilesSegmentsTheGoodOnesAndNamesTheBad() throws Exception {
        Path in = dir.resolve("mixed");
        write(in.resolve("good.png"), BadImages.png(24, 24, 5));
        write(in.resolve("empty.png"), new byte[0]);
        write(in.resolve("cut.png"), BadImages.truncatedPng());
        Path out = dir.resolve("out");
        CliRunner.Result r = CliRunner.run("segment", "--weights", weights.toString(), in.toString(),
                "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("good_label.png")));
        assertFalse(Files.exists(out.resolve("cut_label.png")));
        assertTrue(r.err().contains("skipped " + in.resolve("empty.png")), r.err());
        assertTrue(r.err().contains("skipped " + in.resolve("cut.png")), r.err());
        assertTrue(r.err().strip().endsWith("error: 2 of 3 images could not be segmented (each is listed above with the"
                + " reason)"), r.err());
    }

    @Test
    void withoutWeightsAndWithoutTheDemoModelTheErrorSaysToRunTheDemo() throws Exception {
        Assumptions.assumeFalse(Files.exists(TrainedModelOptions.DEMO_MODEL), "a demo model exists here");
        Path image = write(dir.resolve("x.png"), BadImages.png(16, 16, 6));
        CliRunner.Result r = CliRunner.run("segment", image.toString(), "--out", dir.resolve("out").toString());
        r.assertOneErrorLine("run `./danet demo` first");
    }

    @Test
    void weightsThatDoNotLoadStopTheRunWithOneLine() throws Exception {
        Path in = dir.resolve("two");
        write(in.resolve("a.png"), BadImages.png(16, 16, 7));
        write(in.resolve("b.png"), BadImages.png(16, 16, 8));
        Path bad = Files.writeString(dir.resolve("bad.danet"), "not a checkpoint");
        CliRunner.Result r = CliRunner.run("segment", "--weights", bad.toString(), in.toString(),
                "--out", dir.resolve("out").toString());
        r.assertOneErrorLine(bad.toString());
    }

    @Test
    void anOutputThatWouldReplaceAnInputStopsTheRunBeforeAnythingIsWritten() throws Exception {
        Path folder = dir.resolve("photos");
        Path a = write(folder.resolve("a.png"), BadImages.png(16, 16, 9));
        byte[] overlayInput = BadImages.png(16, 16, 10);
        Path aOverlay = write(folder.resolve("a_overlay.png"), overlayInput);
        CliRunner.Result r = CliRunner.run("segment", "--weights", weights.toString(), a.toString(), aOverlay.toString(),
                "--out", folder.toString());
        r.assertOneErrorLine("a_overlay.png: is an input, and the output a_overlay.png of");
        assertTrue(java.util.Arrays.equals(overlayInput, Files.readAllBytes(aOverlay)), "the input is untouched");
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(2, files.count(), "nothing written");
        }

        Path npy = dir.resolve("x.npy");
        Npy.writeFloat32(npy, new float[3 * 8 * 8], new long[] {1, 3, 8, 8});
        byte[] before = Files.readAllBytes(npy);
        CliRunner.run("forward", "--weights", weights.toString(), "--input", npy.toString(), "--output",
                dir.resolve(".").resolve("x.npy").toString()).assertOneErrorLine("x.npy: is an input, and the logits");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(npy)));
        CliRunner.run("convert", "--weights", weights.toString(), "--out", weights.toString())
                .assertOneErrorLine("is an input, and the converted checkpoint would overwrite it");
    }

    @Test
    void missingInputIsAClearError() {
        CliRunner.Result r = CliRunner.run("segment", "--weights", weights.toString(), dir.resolve("nope.png").toString());
        r.assertOneErrorLine("nope.png: no such file or folder");
    }

    private static boolean hasFiles(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.anyMatch(Files::isRegularFile);
        }
    }
}
