package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `danet bench` on a tiny model: what it prints and writes, not how fast it is. */
class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void timesInferenceAndTrainingAndComparesFoldedWithSeparateBatchNorms() throws Exception {
        Path json = dir.resolve("bench.json");
        CliRunner.Result r = CliRunner.run("bench", "--backbone", "resnet18", "--width", "4", "--classes", "3",
                "--size", "32x48", "--runs", "2", "--warmup", "1", "--mode", "both", "--fold-compare",
                "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("inference, 32x48 x 1"), r.out());
        assertTrue(r.out().contains("training step, 32x48 x 1"), r.out());
        assertTrue(r.out().contains("batch norms folded / separate at 32x48"), r.out());

        JsonNode run = new ObjectMapper().readTree(json.toFile()).get("runs").get(0);
        for (String phase : new String[] {"backbone", "pam", "cam", "total"}) {
            JsonNode samples = run.get("inference").get("milliseconds").get(phase);
            assertEquals(2, samples.get("count").asInt(), phase);
            assertTrue(samples.get("min").asDouble() <= samples.get("median").asDouble(), phase);
        }
        assertTrue(run.get("trainingStep").get("milliseconds").get("total").get("median").asDouble() > 0);
        JsonNode folding = run.get("foldedVsSeparate");
        assertTrue(folding.get("foldedMedianMs").asDouble() > 0);
        assertEquals(folding.get("foldedMedianMs").asDouble() / folding.get("separateMedianMs").asDouble(),
                folding.get("ratio").asDouble(), 1e-9);
        assertTrue(folding.get("relativeL2").asDouble() < 1e-5, "folded and separate agree: " + folding);
    }

    @Test
    void alternatesTrainingStepsBetweenTheMemorySettingsAndGivesRatiosToPlain() throws Exception {
        Path json = dir.resolve("alternate.json");
        CliRunner.Result r = CliRunner.run("bench", "--backbone", "resnet18", "--width", "4", "--classes", "3",
                "--size", "32x48", "--runs", "3", "--warmup", "1", "--mode", "train", "--train-memory-alternate",
                "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("32x48 x 1, plain / train plain"), r.out());

        JsonNode sides = new ObjectMapper().readTree(json.toFile()).get(0).get("sides");
        assertEquals(3, sides.size(), sides.toString());
        double plainMedian = sides.get(2).get("milliseconds").get("median").asDouble();
        for (JsonNode side : sides) {
            assertEquals(3, side.get("milliseconds").get("count").asInt(), side.toString());
            assertEquals(side.get("milliseconds").get("median").asDouble() / plainMedian,
                    side.get("ratioToAnchor").asDouble(), 1e-9, side.toString());
        }
        assertEquals("plain / train plain", sides.get(2).get("variant").asText());
    }

    @Test
    void anUnknownModeIsRefusedWithTheChoices() {
        CliRunner.Result r = CliRunner.run("bench", "--mode", "fast");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("expected one of [inference, train, both]"), r.err());
    }
}
