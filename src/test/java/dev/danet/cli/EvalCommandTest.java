package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.io.ModelCheckpoint;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `danet eval` end to end on a tiny generated dataset in the generic folder layout. */
class EvalCommandTest {

    @TempDir
    Path dir;

    /** images/val + masks/val with two pictures (one landscape, one portrait) and 3 classes. */
    private Path dataset() throws IOException {
        Path root = dir.resolve("data");
        Files.createDirectories(root);
        Files.writeString(root.resolve("classes.txt"), "sky\nroad\ncar\n");
        writePair(root, "p0", 24, 20);
        writePair(root, "p1", 14, 26);
        return root;
    }

    private static void writePair(Path root, String name, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        BufferedImage mask = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int label = y < height / 3 ? 0 : x < width / 2 ? 1 : 2;
                image.setRGB(x, y, label == 0 ? 0x87ceeb : label == 1 ? 0x404040 : 0xc00000);
                mask.getRaster().setSample(x, y, 0, x == 0 ? 255 : label);
            }
        }
        Files.createDirectories(root.resolve("images/val"));
        Files.createDirectories(root.resolve("masks/val"));
        ImageIO.write(image, "png", root.resolve("images/val/" + name + ".png").toFile());
        ImageIO.write(mask, "png", root.resolve("masks/val/" + name + ".png").toFile());
    }

    private Path model(int classes) {
        Path file = dir.resolve("model-" + classes + ".danet");
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.FCN, false, classes);
        try (Network network = Network.create(config)) {
            ModelCheckpoint.save(file, network, Map.of());
        }
        return file;
    }

    @Test
    void evalPrintsTheTableAndWritesMetricsAndConfusion() throws IOException {
        Path data = dataset();
        Path out = dir.resolve("out");
        CliRunner.Result r = CliRunner.run("eval", "--weights", model(3).toString(), "--data", data.toString(), "--dataset", "folder",
                "--split", "val", "--out", out.toString(), "--save-predictions");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mIoU over all 3 classes"), r.out());
        assertTrue(r.out().contains("road"), r.out());
        JsonNode json = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(2, json.at("/dataset/images").asInt());
        assertEquals(3, json.at("/metrics/perClass").size());
        // x = 0 is ignore: 23 x 20 + 13 x 26 labelled pixels
        assertEquals(23 * 20 + 13 * 26, json.at("/metrics/labelledPixels").asLong());
        assertTrue(json.at("/metrics/miouAllClasses").isNumber());
        assertTrue(json.at("/inference/baseSize").isNull(), "default: each image's own size");
        String csv = Files.readString(out.resolve("confusion.csv"));
        assertTrue(csv.startsWith("truth\\prediction,sky,road,car\n"), csv);
        assertTrue(Files.isRegularFile(out.resolve("predictions/p0.png")));
        BufferedImage saved = ImageIO.read(out.resolve("predictions/p1.png").toFile());
        assertEquals(14, saved.getWidth());
        assertEquals(26, saved.getHeight());
    }

    @Test
    void multiScaleFlipAndSlidingWindowsRunEndToEnd() throws IOException {
        Path data = dataset();
        Path out = dir.resolve("ms");
        CliRunner.Result r = CliRunner.run("eval", "--weights", model(3).toString(), "--data", data.toString(), "--dataset", "folder",
                "--out", out.toString(), "--scales", "0.75,1.0,1.25", "--flip", "--crop", "16", "--base-size", "24",
                "--reference-exact");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(8, json.at("/inference/stride").asInt(), "multi-scale: half the crop");
        assertEquals("black", json.at("/inference/padValue").asText());
        assertEquals("exp", json.at("/inference/scores").asText());
        assertEquals(24, json.at("/inference/baseSize").asInt());
        assertTrue(json.at("/metrics/pixelAccuracy").asDouble() >= 0);
    }

    @Test
    void aModelWithAnotherClassCountIsOneErrorLineNamingBothCounts() throws IOException {
        Path data = dataset();
        Path out = dir.resolve("bad");
        CliRunner.Result r = CliRunner.run("eval", "--weights", model(5).toString(), "--data", data.toString(), "--dataset", "folder",
                "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        String err = r.err().strip();
        String last = err.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("error: ") && last.contains("5 classes") && last.contains("3 classes"), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertFalse(Files.exists(out.resolve("metrics.json")));
    }

    @Test
    void badInferenceSettingsAreClearErrors() throws IOException {
        Path data = dataset();
        CliRunner.Result r = CliRunner.run("eval", "--weights", model(3).toString(), "--data", data.toString(), "--dataset", "folder",
                "--out", dir.resolve("x").toString(), "--scales", "1.0,-2");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().strip().startsWith("error: scales must be positive"), r.err());
    }
}
