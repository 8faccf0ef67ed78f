package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.data.ImageDecoder;
import dev.danet.data.LabelGrid;
import dev.danet.data.RgbImage;
import dev.danet.inference.AttentionFeatures;
import dev.danet.inference.ImageSegmenter;
import dev.danet.nn.HeadType;
import dev.danet.testing.BadImages;
import dev.danet.testing.ProbeImages;
import dev.danet.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP service: answers match the model, bad requests get a 4xx with one clear line. */
class WebServerTest {

    @TempDir
    static Path dir;

    private static TestServer server;
    private static final byte[] PHOTO = BadImages.png(48, 32, 11);

    @BeforeAll
    static void start() {
        server = new TestServer(TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET), TestServer.options(4));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int[] expectedLabels() {
        RgbImage photo = ImageDecoder.decodeRgb("photo", PHOTO, 1_000_000);
        return new ImageSegmenter(server.model.network(), server.service.options().inference())
                .segment(photo, ImageSegmenter.Scores.NONE).labels();
    }

    @Test
    void healthAndInfoDescribeTheModel() {
        HttpResponse<byte[]> health = server.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("ok", TestServer.json(health).get("status").asText());
        JsonNode info = TestServer.json(server.get("/api/info"));
        assertEquals("square", info.get("classes").get(2).get("name").asText());
        assertTrue(info.get("positionAttention").asBoolean());
        assertTrue(info.get("samples").size() >= 4);
        HttpResponse<byte[]> page = server.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("<canvas id=\"view\""));
        assertEquals(200, server.get("/app.js").statusCode());
        assertEquals(200, server.get("/api/samples/synthetic-val-0.png").statusCode());
    }

    @Test
    void segmentAnswersWithAClassHistogramSizeAndTiming() {
        HttpResponse<byte[]> r = server.post("/api/segment", PHOTO, "image/png");
        assertEquals(200, r.statusCode(), new String(r.body()));
        JsonNode body = TestServer.json(r);
        assertEquals(48, body.get("width").asInt());
        assertEquals(32, body.get("height").asInt());
        long pixels = 0;
        for (JsonNode c : body.get("classes")) {
            pixels += c.get("pixels").asLong();
        }
        assertEquals(48 * 32, pixels);
        assertTrue(body.get("timing").get("totalSeconds").asDouble() > 0);
    }

    @Test
    void theLabelPngHoldsTheModelsClassIndices() throws Exception {
        HttpResponse<byte[]> r = server.post("/api/segment?output=label", PHOTO, "image/png");
        assertEquals(200, r.statusCode());
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        Path file = Files.write(dir.resolve("label.png"), r.body());
        LabelGrid label = ImageDecoder.readLabels(file);
        assertArrayEquals(expectedLabels(), label.values());
        for (String output : List.of("colour", "overlay")) {
            HttpResponse<byte[]> picture = server.post("/api/segment?output=" + output, PHOTO, "image/png");
            assertEquals(48, ImageDecoder.decodeRgb(output, picture.body(), 10_000).width());
        }
    }

    @Test
    void multipartUploadsWorkLikeRawOnes() {
        String boundary = "----danet-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"street.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(PHOTO);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        HttpResponse<byte[]> r = server.post("/api/segment", body.toByteArray(),
                "multipart/form-data; boundary=" + boundary);
        assertEquals(200, r.statusCode(), new String(r.body()));
        assertEquals("street.png", TestServer.json(r).get("name").asText());

        byte[] noFile = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--"
                + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<byte[]> bad = server.post("/api/segment", noFile, "multipart/form-data; boundary=" + boundary);
        assertClientError(bad, 400, "no file part");
    }

    @Test
    void theAttentionEndpointAnswersTheModelsOwnPamRow() {
        JsonNode analysis = TestServer.json(server.post("/api/analyze", PHOTO, "image/png"));
        String id = analysis.get("id").asText();
        assertTrue(analysis.get("attention").get("position").asBoolean());
        RgbImage photo = ImageDecoder.decodeRgb("photo", PHOTO, 1_000_000);
        AttentionFeatures direct = AttentionFeatures.compute(server.model.network(), photo,
                server.service.options().attentionSide());
        for (int[] p : new int[][] {{3, 4}, {40, 30}}) {
            HttpResponse<byte[]> r = server.get("/api/images/" + id + "/attention?x=" + p[0] + "&y=" + p[1]);
            assertEquals(200, r.statusCode(), new String(r.body()));
            JsonNode row = TestServer.json(r);
            assertEquals(1.0, row.get("sum").asDouble(), 1e-5);
            int cell = direct.cellAt(p[0], p[1]);
            assertEquals(cell, row.get("cell").asInt());
            float[] expected = direct.positionAttentionRow(server.model.network(), cell);
            JsonNode values = row.get("values");
            assertEquals(expected.length, values.size());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], values.get(i).floatValue(), 1e-6f, "weight " + i);
            }
        }
        JsonNode firstChannel = analysis.get("attention").get("channels").get(0);
        int channel = firstChannel.get("channel").asInt();
        JsonNode map = TestServer.json(server.get("/api/images/" + id + "/channels/" + channel));
        assertEquals(direct.channelMap(channel)[7], map.get("values").get(7).floatValue(), 1e-6f);
        for (String picture : WebServer.PICTURES) {
            HttpResponse<byte[]> r = server.get("/api/images/" + id + "/" + picture + ".png");
            assertEquals(200, r.statusCode(), picture);
        }
        assertArrayEquals(photo.rgb(), ImageDecoder.decodeRgb("p", server.get("/api/images/" + id + "/photo.png").body(),
                10_000).rgb());
        assertEquals(200, server.get("/api/images/" + id + "/attention?x=1&y=1&format=png").statusCode());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zero-byte", "truncated", "not-an-image", "tiff", "wbmp", "20000x20000", "too-many-bytes"})
    void badUploadsGetA4xxWithOneClearLineAndTheServerStaysUp(String kind) {
        byte[] body = switch (kind) {
            case "zero-byte" -> new byte[0];
            case "truncated" -> BadImages.truncatedPng();
            case "not-an-image" -> BadImages.notAnImage();
            case "tiff", "wbmp" -> ProbeImages.plain(16, 8, kind);
            case "20000x20000" -> BadImages.hugePngHeader(20_000, 20_000);
            default -> new byte[(2 << 20) + 1];
        };
        int status = switch (kind) {
            case "not-an-image", "tiff", "wbmp" -> 415;
            case "20000x20000", "too-many-bytes" -> 413;
            default -> 400;
        };
        String message = switch (kind) {
            case "zero-byte" -> "empty (0 bytes)";
            case "truncated" -> "truncated";
            case "not-an-image" -> "not an image file";
            case "tiff", "wbmp" -> "upload: not an image file in a supported format (supported: PNG, JPEG, BMP, GIF)";
            case "20000x20000" -> "20000x20000 = 400000000 pixels, more than this server's limit";
            default -> "more than the limit of 2097152 bytes";
        };
        for (String endpoint : List.of("/api/segment", "/api/analyze")) {
            assertClientError(server.post(endpoint, body, "image/png"), status, message);
        }
        assertEquals(200, server.get("/health").statusCode());
        assertEquals(200, server.post("/api/segment", PHOTO, "image/png").statusCode(), "still serving");
    }

    @Test
    void aThinStripIsRefusedForItsWindowsBeforeItRuns() {
        // 20000 pixels, far under the pixel limit, but 59 windows of 512 x 512 (the limit here is 18).
        byte[] strip = ProbeImages.png(20_000, 1);
        for (String endpoint : List.of("/api/segment", "/api/analyze")) {
            assertClientError(server.post(endpoint, strip, "image/png"), 413,
                    "upload: a 20000x1 image takes 59 windows of 512x512, more than the limit of 18 per image");
        }
        assertEquals(18, TestServer.json(server.get("/api/info")).get("limits").get("maxWindows").asInt());
    }

    @Test
    void badQuestionsGetA4xxWithOneClearLine() {
        String id = TestServer.json(server.post("/api/analyze", PHOTO, "image/png")).get("id").asText();
        assertClientError(server.get("/api/images/" + id + "/attention?x=48&y=0"), 400, "outside the 48x32 image");
        assertClientError(server.get("/api/images/" + id + "/attention?x=1"), 400, "missing query parameter y");
        assertClientError(server.get("/api/images/" + id + "/attention?x=a&y=1"), 400, "whole number");
        assertClientError(server.get("/api/images/" + id + "/channels/100000"), 400, "outside");
        assertClientError(server.get("/api/images/nope/attention?x=1&y=1"), 404, "no analysed image");
        assertClientError(server.get("/api/images/" + id + "/secret.png"), 404, "no picture");
        assertClientError(server.get("/no/such/endpoint"), 404, "not found");
        assertClientError(server.post("/api/segment?output=pdf", PHOTO, "image/png"), 400, "output must be");
        assertClientError(server.get("/api/samples/none.png"), 404, "no sample");
        assertClientError(server.post("/api/segment?name=..%2Fnotes.txt", BadImages.notAnImage(), "image/png"), 415,
                "notes.txt: not an image file");
    }

    @Test
    void aModelWithoutAttentionStillSegmentsAndSaysSoForAttention() {
        try (TestServer fcn = new TestServer(TinyModels.save(dir.resolve("fcn.danet"), HeadType.FCN),
                TestServer.options(1))) {
            JsonNode analysis = TestServer.json(fcn.post("/api/analyze", PHOTO, "image/png"));
            assertFalse(analysis.get("attention").get("position").asBoolean());
            assertFalse(analysis.get("attention").get("channel").asBoolean());
            String id = analysis.get("id").asText();
            assertClientError(fcn.get("/api/images/" + id + "/attention?x=1&y=1"), 409, "no position attention module");
            assertClientError(fcn.get("/api/images/" + id + "/channels/0"), 409, "no channel attention module");
            assertEquals(200, fcn.get("/api/images/" + id + "/overlay.png").statusCode());
        }
    }

    private static void assertClientError(HttpResponse<byte[]> r, int status, String message) {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), text);
        JsonNode body = TestServer.json(r);
        assertEquals(status, body.get("status").asInt());
        String error = body.get("error").asText();
        assertTrue(error.contains(message), error);
        assertFalse(error.contains("\n") || text.contains("Exception") || text.contains("\tat "), text);
    }
}
