package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.nn.HeadType;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `danet attention`: per-point PAM and CAM pictures, a legend and a report; clear errors. */
class AttentionCommandTest {

    @TempDir
    static Path shared;

    private static Path weights;
    private static Path image;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        weights = TinyModels.save(shared.resolve("tiny.danet"), HeadType.DANET);
        image = Files.write(shared.resolve("photo.png"), BadImages.png(64, 40, 9));
    }

    @Test
    void eachPointGetsItsPamMapAndStrongestCamChannelsPlusALegend() throws Exception {
        Path out = dir.resolve("att");
        CliRunner.Result r = CliRunner.run("attention", "--weights", weights.toString(), image.toString(),
                "--points", "5,5", "60,35", "--channels", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        for (String file : new String[] {"point1_pam.png", "point2_pam.png", "overlay.png", "legend.png"}) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        assertEquals(64, ImageIO.read(out.resolve("point1_pam.png").toFile()).getWidth());
        JsonNode report = new ObjectMapper().readTree(out.resolve("attention.json").toFile());
        assertEquals(2, report.get("points").size());
        for (JsonNode point : report.get("points")) {
            assertEquals(1.0, point.get("pamRowSum").asDouble(), 1e-5, "the PAM row is a distribution");
            assertEquals(2, point.get("cam").size());
            for (JsonNode cam : point.get("cam")) {
                assertTrue(Files.exists(out.resolve(cam.get("file").asText())), cam.toString());
            }
        }
        assertTrue(report.get("points").get(0).get("cell").asInt() != report.get("points").get(1).get("cell").asInt());
        for (JsonNode pick : report.get("classChannels")) {
            assertTrue(Files.exists(out.resolve(pick.get("file").asText())), pick.toString());
        }
    }

    @Test
    void aReferencePytorchCheckpointWorksToo() throws Exception {
        Path pth = dev.danet.testing.Fixtures.model("danet_r50_w4").resolve("model.pth");
        Path out = dir.resolve("att");
        CliRunner.Result r = CliRunner.run("attention", "--weights", pth.toString(), "--multi-grid", image.toString(),
                "--points", "10,10", "--channels", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode point = new ObjectMapper().readTree(out.resolve("attention.json").toFile()).get("points").get(0);
        assertEquals(1.0, point.get("pamRowSum").asDouble(), 1e-5);
        assertTrue(point.get("predicted").asText().startsWith("class "), "no names in a .pth: generic ones");
    }

    @Test
    void aPointOutsideTheImageIsOneClearLine() {
        CliRunner.Result r = CliRunner.run("attention", "--weights", weights.toString(), image.toString(),
                "--points", "64,10", "--out", dir.resolve("att").toString());
        r.assertOneErrorLine("--points 64,10 is outside");
    }

    @Test
    void aMalformedPointIsOneClearLine() {
        CliRunner.Result r = CliRunner.run("attention", "--weights", weights.toString(), image.toString(),
                "--points", "12;4", "--out", dir.resolve("att").toString());
        r.assertOneErrorLine("X,Y");
    }

    @Test
    void aModelWithoutAttentionIsOneClearLine() {
        Path fcn = TinyModels.save(dir.resolve("fcn.danet"), HeadType.FCN);
        CliRunner.Result r = CliRunner.run("attention", "--weights", fcn.toString(), image.toString(),
                "--points", "1,1", "--out", dir.resolve("att").toString());
        r.assertOneErrorLine("no attention modules");
    }

    @Test
    void aTruncatedImageIsOneClearLine() throws Exception {
        Path cut = Files.write(dir.resolve("cut.png"), BadImages.truncatedPng());
        CliRunner.Result r = CliRunner.run("attention", "--weights", weights.toString(), cut.toString(),
                "--points", "1,1", "--out", dir.resolve("att").toString());
        r.assertOneErrorLine(cut + ": the PNG image is truncated");
        assertTrue(Files.notExists(dir.resolve("att")));
    }
}
