package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.synth.ContextBenchmark;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `danet data synth --benchmark`, `data benchmarks`, and train/eval reading a benchmark unchanged. */
class DataCommandTest {

    @TempDir
    Path dir;

    @Test
    void aBenchmarkIsMadeByNameAndTrainAndEvalReadItUnchanged() throws Exception {
        Path data = dir.resolve("pairing");
        CliRunner.Result made = CliRunner.run("data", "synth", "--benchmark", "pairing", "--out", data.toString(),
                "--train", "4", "--val", "2", "--size", "64x128", "--seed", "2");
        assertEquals(0, made.code(), made.err());
        assertTrue(made.out().contains("wrote 4 train + 2 val images of the 'pairing' benchmark"), made.out());
        CliRunner.Result check = CliRunner.run("data", "check", "--data", data.toString(), "--split", "val");
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains("(cityscapes, split val): 2 samples") && check.out().contains("bus"), check.out());

        Path run = dir.resolve("run");
        CliRunner.Result trained = CliRunner.run("train", "--model", "fcn", "--backbone", "resnet18", "--width", "4",
                "--data", data.toString(), "--crop", "64x128", "--batch", "2", "--iterations", "1", "--out", run.toString());
        assertEquals(0, trained.code(), trained.err());
        Path eval = dir.resolve("eval");
        CliRunner.Result evaluated = CliRunner.run("eval", "--weights", run.resolve("model.danet").toString(),
                "--data", data.toString(), "--out", eval.toString());
        assertEquals(0, evaluated.code(), evaluated.err());
        JsonNode metrics = new ObjectMapper().readTree(eval.resolve("metrics.json").toFile());
        assertEquals(2, metrics.at("/dataset/images").asInt());
        long vehicles = 0;
        for (JsonNode c : metrics.at("/metrics/perClass")) {
            if (c.get("name").asText().equals("car") || c.get("name").asText().equals("truck")) {
                vehicles += c.get("truthPixels").asLong();
            }
        }
        assertTrue(vehicles > 0, "the twins' vehicles are in the truth");
    }

    @Test
    void benchmarksAreListedAndPicturedOnePerBenchmark() throws Exception {
        CliRunner.Result listed = CliRunner.run("data", "benchmarks", "--pictures", dir.toString(), "--pairs", "3");
        assertEquals(0, listed.code(), listed.err());
        for (ContextBenchmark b : ContextBenchmark.values()) {
            assertTrue(listed.out().contains(b.id() + " ") && listed.out().contains(b.rule()), listed.out());
            Path picture = dir.resolve("context-" + b.id() + ".png");
            BufferedImage image = ImageIO.read(picture.toFile());
            assertEquals(4 * 256 + 3 * 4, image.getWidth(), "two twins, photo and labels each");
            assertTrue(Files.size(picture) < 1_000_000);
        }
    }

    @Test
    void anUnknownBenchmarkOrBadPairIsOneErrorLine() {
        CliRunner.run("data", "synth", "--benchmark", "fog", "--out", dir.resolve("x").toString())
                .assertOneErrorLine("unknown benchmark 'fog': use one of weather, sign, pairing, control, scale");
        CliRunner.run("data", "benchmarks", "--pictures", dir.toString(), "--pairs", "150")
                .assertOneErrorLine("--pairs must be in 0..149");
        CliRunner.run("data", "synth", "--benchmark", "sign", "--train", "-1", "--out", dir.resolve("y").toString())
                .assertOneErrorLine("image counts must be in 0..999999");
    }
}
