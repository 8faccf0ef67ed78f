package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.io.ModelCheckpoint;
import dev.danet.nn.HeadType;
import dev.danet.nn.Network;
import dev.danet.testing.TinyDatasets;
import dev.danet.testing.TinyModels;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `danet attention-stats`: the table and JSON for a model whose rows are uniform by construction; clear errors. */
class AttentionStatsCommandTest {

    @TempDir
    static Path shared;

    private static Path data;
    private static Path uniform;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        data = TinyDatasets.folder(shared.resolve("data"), 1, 3, 40);
        uniform = shared.resolve("uniform.danet");
        try (Network network = TinyModels.create(HeadType.DANET)) {
            network.parameters().get("head.sa.query_conv.weight").getArray().muli(0);
            network.parameters().get("head.sa.query_conv.bias").getArray().muli(0);
            ModelCheckpoint.save(uniform, network, Map.of("classes", TinyModels.CLASSES));
        }
    }

    @Test
    void uniformRowsReportChanceAsTheSameClassMassAndFullEntropy() throws Exception {
        Path json = dir.resolve("stats.json");
        CliRunner.Result r = CliRunner.run("attention-stats", "--weights", uniform.toString(), "--data",
                data.toString(), "--dataset", "folder", "--images", "2", "--grid", "2", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("same-class mass") && r.out().contains("entropy / ln N"), r.out());
        assertTrue(r.out().contains("8 rows (2 images; a query every 2 cells along each axis of a 5x5 grid; 25 cells per row)"),
                r.out());
        JsonNode s = new ObjectMapper().readTree(json.toFile()).get("summary");
        assertEquals(2 * 4, s.get("rows").asInt(), "a 5x5 grid queried at cells 1 and 3 of each axis");
        assertEquals(s.get("chance").get("mean").asDouble(), s.get("sameClassMass").get("mean").asDouble(), 1e-6);
        assertEquals(1, s.get("relativeEntropy").get("median").asDouble(), 1e-6);
        assertEquals(1 / 25.0, s.get("maxWeight").get("mean").asDouble(), 1e-7);
        assertEquals(0, s.get("oneHot").asDouble(), 0);
        assertTrue(s.get("perClass").size() >= 2, s.toString());
    }

    @Test
    void aModelWithoutPositionAttentionIsOneClearLine() {
        Path fcn = TinyModels.save(dir.resolve("fcn.danet"), HeadType.FCN);
        CliRunner.Result r = CliRunner.run("attention-stats", "--weights", fcn.toString(), "--data", data.toString(),
                "--dataset", "folder");
        r.assertOneErrorLine("no position attention to measure");
    }

    @Test
    void aBadGridIsOneClearLine() {
        CliRunner.Result r = CliRunner.run("attention-stats", "--weights", uniform.toString(), "--data",
                data.toString(), "--dataset", "folder", "--grid", "0");
        r.assertOneErrorLine("--grid");
    }
}
