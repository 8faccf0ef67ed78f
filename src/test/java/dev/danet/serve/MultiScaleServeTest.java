package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.data.ImageDecoder;
import dev.danet.data.LabelGrid;
import dev.danet.data.RgbImage;
import dev.danet.inference.ImageSegmenter;
import dev.danet.io.ModelCheckpoint;
import dev.danet.nn.HeadType;
import dev.danet.nn.Network;
import dev.danet.nn.ScaleConfig;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service on an Attention-to-Scale checkpoint: it loads without flags and answers like the model. */
class MultiScaleServeTest {

    @TempDir
    Path dir;

    @Test
    void aMultiScaleDanetIsServedWithItsOwnScalesAndAttention() throws Exception {
        Path file = dir.resolve("multi.danet");
        try (Network network = Network.create(TinyModels.config(HeadType.DANET).withScales(ScaleConfig.paper()))) {
            network.parameters().get("scale_attention.2.weight").getArray().addi(0.2f);
            ModelCheckpoint.save(file, network, Map.of("classes", TinyModels.CLASSES));
        }
        byte[] photoBytes = BadImages.png(48, 32, 5);
        try (TestServer server = new TestServer(file, TestServer.options(4))) {
            assertTrue(server.model.network().multiScale() != null, "loaded as a multi-scale model");
            HttpResponse<byte[]> r = server.post("/api/segment?output=label", photoBytes, "image/png");
            assertEquals(200, r.statusCode(), new String(r.body()));
            LabelGrid label = ImageDecoder.readLabels(java.nio.file.Files.write(dir.resolve("label.png"), r.body()));
            RgbImage photo = ImageDecoder.decodeRgb("photo", photoBytes, 1_000_000);
            int[] expected = new ImageSegmenter(server.model.network(), server.service.options().inference())
                    .segment(photo, ImageSegmenter.Scores.NONE).labels();
            assertArrayEquals(expected, label.values());

            JsonNode analysis = TestServer.json(server.post("/api/analyze", photoBytes, "image/png"));
            String id = analysis.get("id").asText();
            HttpResponse<byte[]> row = server.get("/api/images/" + id + "/attention?x=10&y=10");
            assertEquals(200, row.statusCode(), new String(row.body()));
            assertEquals(1.0, TestServer.json(row).get("sum").asDouble(), 1e-5);
        }
    }
}
