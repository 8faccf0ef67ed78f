package dev.danet.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.CategoryMask;
import ai.djl.repository.zoo.ZooModel;
import dev.danet.DanetException;
import dev.danet.cli.Main;
import dev.danet.data.ImageDecoder;
import dev.danet.data.LabelGrid;
import dev.danet.nn.HeadType;
import dev.danet.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DJL's Criteria -> ZooModel -> Predictor path labels every pixel as `./danet segment` (run in a
 * JVM of its own, as a user runs it) does, on pictures of the kinds users have: colour and grey
 * PNG, JPEG, one long enough for sliding windows, and a phone photo turned by its EXIF orientation
 * (which needs {@link DanetImages}: DJL's ImageFactory ignores the orientation).
 */
class CriteriaMatchesSegmentCommandTest {

    /** A committed JPEG (tools/make_image_fixtures.py) stored 32x16, whose EXIF orientation 6 turns it upright. */
    private static final Path TURNED = Path.of("src/test/resources/fixtures/images/orientation6.jpg");

    @TempDir
    Path dir;

    /** Smooth colour fields with noise: structure that a random model's labels follow. */
    private static BufferedImage picture(int width, int height, int type, long seed) {
        BufferedImage image = new BufferedImage(width, height, type);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(40)) & 0xff;
                int g = (y * 255 / height + random.nextInt(40)) & 0xff;
                int b = ((x + y) * 7 + random.nextInt(60)) & 0xff;
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    private Path write(String name, BufferedImage image, String format) throws IOException {
        Path file = dir.resolve("pictures").resolve(name);
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(image, format, file.toFile()), "ImageIO writes " + format);
        return file;
    }

    private static int[] flatten(int[][] mask) {
        int[] flat = new int[mask.length * mask[0].length];
        for (int y = 0; y < mask.length; y++) {
            System.arraycopy(mask[y], 0, flat, y * mask[0].length, mask[0].length);
        }
        return flat;
    }

    /** `danet segment` in another JVM with this one's classpath, as the launcher runs it. */
    private void segmentCommand(Path weights, Path pictures, Path out) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = dir.resolve("segment.err");
        Process process = new ProcessBuilder(List.of(java, "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "segment", "--weights",
                weights.toString(), pictures.toString(), "--out", out.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "segment finished");
        assertEquals(0, process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void everyPixelGetsTheSegmentCommandsLabel() throws Exception {
        Path weights = TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET);
        Map<String, Path> pictures = Map.of(
                "colour", write("colour.png", picture(61, 45, BufferedImage.TYPE_INT_RGB, 1), "png"),
                "grey", write("grey.png", picture(40, 52, BufferedImage.TYPE_BYTE_GRAY, 2), "png"),
                "photo", write("photo.jpg", picture(53, 37, BufferedImage.TYPE_INT_RGB, 3), "jpg"),
                // Longer than the default 512-pixel window: segmented as overlapping windows.
                "strip", write("strip.png", picture(600, 24, BufferedImage.TYPE_INT_RGB, 4), "png"),
                // Stored 32x16 with EXIF orientation 6: shown (and segmented) upright, 16x32.
                "turned", Files.copy(TURNED, dir.resolve("pictures/turned.jpg")));
        Path out = dir.resolve("segment");
        segmentCommand(weights, dir.resolve("pictures"), out);

        Set<Integer> classesSeen = new HashSet<>();
        try (ZooModel<Image, CategoryMask> model = DanetModels.criteria(weights).build().loadModel();
                Predictor<Image, CategoryMask> predictor = model.newPredictor()) {
            for (Map.Entry<String, Path> picture : pictures.entrySet()) {
                String name = picture.getKey();
                LabelGrid expected = ImageDecoder.readLabels(out.resolve(name + "_label.png"));
                assertMask(name + " read by DanetImages", expected,
                        predictor.predict(DanetImages.read(picture.getValue())).getMask());
                if (!name.equals("turned")) {
                    assertMask(name + " read by DJL's ImageFactory", expected, predictor.predict(
                            ImageFactory.getInstance().fromFile(picture.getValue())).getMask());
                }
                Arrays.stream(expected.values()).forEach(classesSeen::add);
            }
        }
        assertTrue(classesSeen.size() > 1, "the pictures get more than one class: " + classesSeen);
    }

    @Test
    void djlsImageFactoryLeavesAnExifTurnedPhotoOnItsSideAndDanetImagesTurnsIt() throws Exception {
        Image stored = ImageFactory.getInstance().fromFile(TURNED);
        Image upright = DanetImages.read(TURNED);
        assertEquals(List.of(32, 16), List.of(stored.getWidth(), stored.getHeight()));
        assertEquals(List.of(16, 32), List.of(upright.getWidth(), upright.getHeight()));
        Image decoded = DanetImages.decode("upload", Files.readAllBytes(TURNED), 16 * 32);
        assertEquals(List.of(16, 32), List.of(decoded.getWidth(), decoded.getHeight()));
        DanetException tooLarge = assertThrows(DanetException.class,
                () -> DanetImages.decode("upload", Files.readAllBytes(TURNED), 16 * 32 - 1));
        assertTrue(tooLarge.getMessage().startsWith("upload"), tooLarge.getMessage());
    }

    private static void assertMask(String what, LabelGrid expected, int[][] mask) {
        assertEquals(expected.height(), mask.length, what + ": rows");
        assertEquals(expected.width(), mask[0].length, what + ": columns");
        assertArrayEquals(expected.values(), flatten(mask), what + ": labels");
    }
}
