package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.data.ImageDecoder;
import dev.danet.data.RgbImage;
import dev.danet.inference.ImageSegmenter;
import dev.danet.nn.HeadType;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Open Inference Protocol v2 (JSON and binary), TorchServe's /ping and /predictions, and
 * /metrics: answers match the model, errors are the protocol's {"error": ...} with a 4xx, and
 * the server's limits apply to them as to /api/*.
 */
class InferenceProtocolsTest {

    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PHOTO = BadImages.png(48, 32, 11);
    private static final String INFER = "/v2/models/tiny/infer";
    private static TestServer server;
    private static int[] expected;

    @BeforeAll
    static void start() {
        server = new TestServer(TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET), TestServer.options(4));
        RgbImage photo = ImageDecoder.decodeRgb("photo", PHOTO, 1_000_000);
        expected = new ImageSegmenter(server.model.network(), server.service.options().inference())
                .segment(photo, ImageSegmenter.Scores.NONE).labels();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> postJson(String path, JsonNode body) throws Exception {
        return server.post(path, JSON.writeValueAsBytes(body), "application/json");
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static ObjectNode imageRequest() {
        ObjectNode request = JSON.createObjectNode().put("id", "req-7");
        ObjectNode input = request.putArray("inputs").addObject().put("name", "image").put("datatype", "BYTES");
        input.putArray("shape").add(1);
        input.putArray("data").add(Base64.getEncoder().encodeToString(PHOTO));
        return request;
    }

    private static void assertProblem(HttpResponse<byte[]> r, int status, String message) {
        assertEquals(status, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        String error = TestServer.json(r).get("error").asText();
        assertTrue(error.contains(message), error);
    }

    @Test
    void healthAndMetadataFollowTheV2Specification() {
        assertEquals(true, TestServer.json(server.get("/v2/health/live")).get("live").asBoolean());
        assertEquals(true, TestServer.json(server.get("/v2/health/ready")).get("ready").asBoolean());
        assertEquals("binary_tensor_data", TestServer.json(server.get("/v2")).get("extensions").get(0).asText());
        JsonNode model = TestServer.json(server.get("/v2/models/tiny"));
        assertEquals("tiny", model.get("name").asText());
        assertEquals("BYTES", model.get("inputs").get(0).get("datatype").asText());
        assertEquals("[1,3,-1,-1]", model.get("inputs").get(1).get("shape").toString());
        assertEquals("[1,-1,-1]", model.get("outputs").get(0).get("shape").toString());
        assertEquals("[1,3,-1,-1]", model.get("outputs").get(1).get("shape").toString());
        assertEquals(true, TestServer.json(server.get("/v2/models/tiny/ready")).get("ready").asBoolean());
        assertProblem(server.get("/v2/models/other"), 404, "no model named 'other'");
        assertProblem(server.get("/v2/models/other/ready"), 404, "no model named");
    }

    @Test
    void anEncodedImageAsABytesTensorGivesTheModelsLabels() throws Exception {
        HttpResponse<byte[]> r = postJson(INFER, imageRequest());
        assertEquals(200, r.statusCode(), new String(r.body()));
        JsonNode body = TestServer.json(r);
        assertEquals("tiny", body.get("model_name").asText());
        assertEquals("req-7", body.get("id").asText());
        JsonNode labels = body.get("outputs").get(0);
        assertEquals("labels", labels.get("name").asText());
        assertEquals("INT32", labels.get("datatype").asText());
        assertEquals("[1,32,48]", labels.get("shape").toString());
        assertArrayEquals(expected, ints(labels.get("data")));
        assertEquals(1, body.get("outputs").size(), "probabilities only when asked for");
    }

    @Test
    void pixelsAsAnFp32TensorGiveTheSameLabels() throws Exception {
        RgbImage photo = ImageDecoder.decodeRgb("photo", PHOTO, 1_000_000);
        ObjectNode request = JSON.createObjectNode();
        ObjectNode input = request.putArray("inputs").addObject().put("name", "pixels").put("datatype", "FP32");
        input.putArray("shape").add(1).add(3).add(32).add(48);
        ArrayNode data = input.putArray("data");
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 32 * 48; i++) {
                data.add(photo.rgb()[3 * i + c] & 0xff);
            }
        }
        HttpResponse<byte[]> r = postJson(INFER, request);
        assertEquals(200, r.statusCode(), new String(r.body()));
        assertArrayEquals(expected, ints(TestServer.json(r).get("outputs").get(0).get("data")));
    }

    @Test
    void theBinaryExtensionCarriesTheImageInAndTheTensorsOut() throws Exception {
        ObjectNode request = JSON.createObjectNode();
        ObjectNode input = request.putArray("inputs").addObject().put("name", "image").put("datatype", "BYTES");
        input.putArray("shape").add(1);
        input.putObject("parameters").put("binary_data_size", 4 + PHOTO.length);
        ArrayNode outputs = request.putArray("outputs");
        outputs.addObject().put("name", "labels").putObject("parameters").put("binary_data", true);
        outputs.addObject().put("name", "probabilities").putObject("parameters").put("binary_data", true);
        byte[] header = JSON.writeValueAsBytes(request);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(header);
        body.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(PHOTO.length).array());
        body.writeBytes(PHOTO);
        HttpResponse<byte[]> r = server.send(HttpRequest.newBuilder(server.uri(INFER))
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", Integer.toString(header.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        assertEquals(200, r.statusCode(), new String(r.body()));
        int jsonLength = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode answer = JSON.readTree(new String(r.body(), 0, jsonLength, StandardCharsets.UTF_8));
        int labelBytes = answer.get("outputs").get(0).get("parameters").get("binary_data_size").asInt();
        int probabilityBytes = answer.get("outputs").get(1).get("parameters").get("binary_data_size").asInt();
        assertEquals(4 * 32 * 48, labelBytes);
        assertEquals(4 * 3 * 32 * 48, probabilityBytes);
        assertEquals(jsonLength + labelBytes + probabilityBytes, r.body().length);
        ByteBuffer tensors = ByteBuffer.wrap(r.body(), jsonLength, labelBytes + probabilityBytes).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        int[] labels = new int[32 * 48];
        tensors.asIntBuffer().get(labels);
        assertArrayEquals(expected, labels);
        float[] p = new float[3 * 32 * 48];
        tensors.position(labelBytes);
        tensors.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(p);
        for (int i = 0; i < labels.length; i += 37) {
            float sum = p[i] + p[32 * 48 + i] + p[2 * 32 * 48 + i];
            assertEquals(1f, sum, 1e-4f);
            assertTrue(p[labels[i] * 32 * 48 + i] >= p[((labels[i] + 1) % 3) * 32 * 48 + i]);
        }
    }

    @Test
    void badInferRequestsGetA400WithTheProtocolsErrorObject() throws Exception {
        assertProblem(server.post(INFER, "{not json".getBytes(StandardCharsets.UTF_8), "application/json"), 400,
                "not JSON");
        assertProblem(postJson(INFER, JSON.createArrayNode()), 400, "must be a JSON object");
        ObjectNode noInputs = JSON.createObjectNode();
        noInputs.putArray("inputs");
        assertProblem(postJson(INFER, noInputs), 400, "expects one input");
        ObjectNode wrongShape = imageRequest();
        ((ObjectNode) wrongShape.get("inputs").get(0)).put("datatype", "FP32");
        assertProblem(postJson(INFER, wrongShape), 400, "shape [1,3,H,W]");
        ObjectNode unknownOutput = imageRequest();
        unknownOutput.putArray("outputs").addObject().put("name", "logits");
        assertProblem(postJson(INFER, unknownOutput), 400, "unknown output 'logits'");
        ObjectNode notAnImage = imageRequest();
        ((ArrayNode) notAnImage.get("inputs").get(0).get("data")).set(0,
                Base64.getEncoder().encodeToString(BadImages.notAnImage()));
        assertEquals(415, postJson(INFER, notAnImage).statusCode());
        HttpResponse<byte[]> badHeader = server.send(HttpRequest.newBuilder(server.uri(INFER))
                .header("Inference-Header-Content-Length", "99999")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(imageRequest()))).build());
        assertProblem(badHeader, 400, "Inference-Header-Content-Length");
        assertProblem(postJson("/v2/models/other/infer", imageRequest()), 404, "no model named");
    }

    @Test
    void theServersLimitsApplyToTheNewEndpoints() {
        byte[] tooLarge = new byte[(2 << 20) + 1];
        assertEquals(413, server.post(INFER, tooLarge, "application/json").statusCode());
        assertEquals(413, server.post("/predictions/tiny", tooLarge, "image/png").statusCode());
        TestServer.RawAnswer refused = server.raw("POST", INFER, Map.of("Host", "rebound.example"), PHOTO);
        assertEquals(403, refused.status());
        assertEquals(403, server.raw("GET", "/metrics", Map.of("Host", "rebound.example"), new byte[0]).status());
    }

    @Test
    void torchServeClientsGetACategoryMask() {
        assertEquals("Healthy", TestServer.json(server.get("/ping")).get("status").asText());
        JsonNode raw = TestServer.json(server.post("/predictions/tiny", PHOTO, "image/png"));
        assertEquals(TinyModels.CLASSES.toString(), raw.get("classes").toString().replace("\"", "").replace(",", ", "));
        assertEquals(32, raw.get("mask").size());
        int[] flat = new int[32 * 48];
        for (int y = 0; y < 32; y++) {
            System.arraycopy(ints(raw.get("mask").get(y)), 0, flat, y * 48, 48);
        }
        assertArrayEquals(expected, flat);
        String boundary = "----danet-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(PHOTO);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        HttpResponse<byte[]> multipart = server.post("/predictions/tiny", body.toByteArray(),
                "multipart/form-data; boundary=" + boundary);
        assertEquals(200, multipart.statusCode(), new String(multipart.body()));
        assertEquals(raw.get("mask"), TestServer.json(multipart).get("mask"));
        HttpResponse<byte[]> put = server.send(HttpRequest.newBuilder(server.uri("/predictions/tiny"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(PHOTO)).build());
        assertEquals(raw.get("mask"), TestServer.json(put).get("mask"));
        assertProblem(server.post("/predictions/other", PHOTO, "image/png"), 404, "no model named");
    }

    /**
     * /metrics read by a strict parser of the text format ({@link PrometheusText}: HELP and TYPE
     * lines, names, labels and their escaping, one group per family, histogram buckets): the
     * requests by endpoint, method, status and model with latency histograms, the queue, the time
     * on the model and the resident memory.
     */
    @Test
    void metricsParseAsPrometheusTextWithTheRequestsQueueModelTimeAndMemory() throws Exception {
        assertEquals(200, postJson(INFER, imageRequest()).statusCode());
        server.get("/v2/models/other");
        HttpResponse<byte[]> r = server.get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        Map<String, PrometheusText.Family> metrics = PrometheusText.parse(new String(r.body(), StandardCharsets.UTF_8));

        PrometheusText.Family requests = metrics.get("http_server_requests_seconds");
        assertEquals("histogram", requests.type());
        var inferred = Map.of("endpoint", "/v2/models/{name}/infer", "method", "POST", "status", "200", "model", "tiny");
        assertTrue(requests.find("http_server_requests_seconds_count", inferred).get(0).value() >= 1, requests.toString());
        assertTrue(requests.find("http_server_requests_seconds_sum", inferred).get(0).value() > 0);
        assertTrue(requests.find("http_server_requests_seconds_bucket", inferred).size() > 10, "latency buckets");
        assertEquals(1, requests.find("http_server_requests_seconds_count",
                Map.of("endpoint", "/v2/models/{name}", "method", "GET", "status", "404", "model", "")).size(),
                "unknown names are counted under the route, not as new series");

        PrometheusText.Family inference = metrics.get("danet_inference_seconds");
        assertEquals("histogram", inference.type());
        assertTrue(inference.find("danet_inference_seconds_count", Map.of("model", "tiny")).get(0).value() >= 1);
        assertEquals("gauge", metrics.get("danet_queue_in_flight").type());
        assertEquals(0, metrics.get("danet_queue_in_flight").find("danet_queue_in_flight", Map.of("model", "tiny"))
                .get(0).value(), "nothing in flight after the answers");
        assertEquals(5, metrics.get("danet_queue_capacity").samples().get(0).value());
        assertEquals("gauge", metrics.get("danet_queue_rejected").type());
        PrometheusText.Family memory = metrics.get("process_resident_memory_bytes");
        assertEquals("gauge", memory.type());
        assertTrue(memory.samples().get(0).value() > 50e6, "resident memory " + memory.samples());
    }
}
