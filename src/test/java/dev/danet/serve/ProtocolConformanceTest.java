package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server against the Open Inference Protocol v2 specification (KServe's "Predict Protocol -
 * Version 2" HTTP/REST section and the binary tensor data extension, as Triton and KServe
 * publish them) and TorchServe's inference API, endpoint by endpoint: each response has the
 * schema's fields with their JSON types, the spec's request examples (adapted to this model's
 * tensors) are answered as its response examples are, and each failure has the protocol's error
 * body ({"error": $string} in v2; {"code", "type", "message"} in TorchServe) with an error status.
 */
class ProtocolConformanceTest {

    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PHOTO = BadImages.png(20, 12, 3);
    private static final int H = 12;
    private static final int W = 20;
    private static TestServer server;
    private static int[] expected;
    private static RgbImage photo;

    @BeforeAll
    static void start() {
        server = new TestServer(TinyModels.save(dir.resolve("mymodel.danet"), HeadType.DANET), TestServer.options(4));
        photo = ImageDecoder.decodeRgb("photo", PHOTO, 1_000_000);
        expected = new ImageSegmenter(server.model.network(), server.service.options().inference())
                .segment(photo, ImageSegmenter.Scores.NONE).labels();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ------------------------------------------------------------------ health and metadata

    @Test
    void serverLiveAndReadyAnswer200WithTheirBooleans() {
        for (String[] probe : new String[][] {{"/v2/health/live", "live"}, {"/v2/health/ready", "ready"}}) {
            HttpResponse<byte[]> r = server.get(probe[0]);
            assertEquals(200, r.statusCode(), probe[0]);
            assertJson(r);
            assertTrue(TestServer.json(r).get(probe[1]).isBoolean(), probe[0]);
            assertTrue(TestServer.json(r).get(probe[1]).asBoolean(), probe[0]);
        }
    }

    @Test
    void serverMetadataIsNameVersionAndExtensions() {
        HttpResponse<byte[]> r = server.get("/v2");
        assertEquals(200, r.statusCode());
        JsonNode body = TestServer.json(r);
        assertTrue(body.get("name").isTextual());
        assertTrue(body.get("version").isTextual());
        assertTrue(body.get("extensions").isArray());
        body.get("extensions").forEach(e -> assertTrue(e.isTextual()));
        assertTrue(body.get("extensions").toString().contains("\"binary_tensor_data\""));
    }

    @Test
    void modelMetadataFollowsTheSchemaAndEachListedVersionCanBeRequested() {
        JsonNode body = TestServer.json(server.get("/v2/models/mymodel"));
        assertEquals("mymodel", body.get("name").asText());
        assertTrue(body.get("platform").isTextual());
        assertTrue(body.get("versions").isArray());
        for (String list : new String[] {"inputs", "outputs"}) {
            assertTrue(body.get(list).isArray() && !body.get(list).isEmpty(), list);
            for (JsonNode tensor : body.get(list)) {
                assertTrue(tensor.get("name").isTextual(), tensor.toString());
                assertTrue(tensor.get("datatype").asText().matches("BOOL|U?INT(8|16|32|64)|FP(16|32|64)|BYTES"),
                        tensor.toString());
                tensor.get("shape").forEach(d -> assertTrue(d.isIntegralNumber() && d.asLong() >= -1, tensor.toString()));
            }
        }
        // "The model versions that may be explicitly requested via the appropriate endpoint."
        for (JsonNode version : body.get("versions")) {
            String path = "/v2/models/mymodel/versions/" + version.asText();
            assertEquals(body, TestServer.json(server.get(path)));
            JsonNode ready = TestServer.json(server.get(path + "/ready"));
            assertEquals("mymodel", ready.get("name").asText());
            assertTrue(ready.get("ready").asBoolean());
            HttpResponse<byte[]> inferred = postJson(path + "/infer", imageRequest("v"));
            assertEquals(200, inferred.statusCode(), text(inferred));
            assertEquals(version.asText(), TestServer.json(inferred).get("model_version").asText());
        }
    }

    @Test
    void modelReadyIsTheNameAndABoolean() {
        JsonNode body = TestServer.json(server.get("/v2/models/mymodel/ready"));
        assertEquals("mymodel", body.get("name").asText());
        assertTrue(body.get("ready").isBoolean() && body.get("ready").asBoolean());
    }

    @Test
    void failedMetadataAndReadyRequestsCarryTheErrorObject() {
        assertV2Error(server.get("/v2/models/yourmodel"), 404, "no model named 'yourmodel'");
        assertV2Error(server.get("/v2/models/yourmodel/ready"), 404, "no model named 'yourmodel'");
        assertV2Error(server.get("/v2/models/mymodel/versions/7"), 404, "has no version '7'");
        assertV2Error(server.get("/v2/models/mymodel/versions/7/ready"), 404, "has no version '7'");
    }

    // ------------------------------------------------------------------ inference, JSON

    /** The spec's example: an id, inputs, one output asked for by name, answered with that output and the id. */
    @Test
    void theSpecificationsJsonExampleGetsItsResponseShape() {
        HttpResponse<byte[]> r = postJson("/v2/models/mymodel/infer", imageRequest("42"));
        assertEquals(200, r.statusCode(), text(r));
        assertJson(r);
        JsonNode body = TestServer.json(r);
        assertEquals("42", body.get("id").asText());
        assertEquals("mymodel", body.get("model_name").asText());
        assertEquals(1, body.get("outputs").size(), "exactly the outputs asked for");
        JsonNode output = body.get("outputs").get(0);
        assertEquals("labels", output.get("name").asText());
        assertEquals("INT32", output.get("datatype").asText());
        assertEquals("[1," + H + "," + W + "]", output.get("shape").toString());
        assertArrayEquals(expected, ints(output.get("data")));
    }

    /** "Tensor elements may be presented in their natural multi-dimensional representation, or flattened." */
    @Test
    void tensorDataMayBeNestedOrFlat() {
        ObjectNode nested = JSON.createObjectNode();
        ObjectNode input = nested.putArray("inputs").addObject().put("name", "pixels").put("datatype", "FP32");
        input.putArray("shape").add(1).add(3).add(H).add(W);
        ArrayNode batch = input.putArray("data").addArray();
        for (int c = 0; c < 3; c++) {
            ArrayNode plane = batch.addArray();
            for (int y = 0; y < H; y++) {
                ArrayNode row = plane.addArray();
                for (int x = 0; x < W; x++) {
                    row.add(photo.rgb()[3 * (y * W + x) + c] & 0xff);
                }
            }
        }
        HttpResponse<byte[]> r = postJson("/v2/models/mymodel/infer", nested);
        assertEquals(200, r.statusCode(), text(r));
        assertArrayEquals(expected, ints(TestServer.json(r).get("outputs").get(0).get("data")));
    }

    @Test
    void failedInferenceRequestsCarryTheErrorObjectWithA4xx() {
        String infer = "/v2/models/mymodel/infer";
        assertV2Error(server.post(infer, "{\"inputs\": [".getBytes(StandardCharsets.UTF_8), "application/json"), 400,
                "not JSON");
        ObjectNode unknownInput = imageRequest("1");
        ((ObjectNode) unknownInput.get("inputs").get(0)).put("name", "input0");
        assertV2Error(postJson(infer, unknownInput), 400, "unknown input 'input0'");
        ObjectNode unknownOutput = imageRequest("1");
        ((ObjectNode) unknownOutput.get("outputs").get(0)).put("name", "output0");
        assertV2Error(postJson(infer, unknownOutput), 400, "unknown output 'output0'");
        ObjectNode wrongType = imageRequest("1");
        ((ObjectNode) wrongType.get("inputs").get(0)).put("datatype", "UINT32");
        assertV2Error(postJson(infer, wrongType), 400, "datatype");
        assertV2Error(postJson("/v2/models/yourmodel/infer", imageRequest("1")), 404, "no model named");
        ObjectNode notAnImage = imageRequest("1");
        ((ArrayNode) notAnImage.get("inputs").get(0).get("data")).set(0,
                Base64.getEncoder().encodeToString(BadImages.notAnImage()));
        assertV2Error(postJson(infer, notAnImage), 415, "not an image");
    }

    // ------------------------------------------------------------------ inference, binary tensor data extension

    /**
     * The extension's example: JSON header of Inference-Header-Content-Length bytes, then each
     * input's bytes (binary_data_size); the output asked for as binary comes back after the
     * answer's JSON, little-endian, its size in the output's binary_data_size and no "data".
     */
    @Test
    void theExtensionsExampleSendsAndReceivesBinaryTensors() throws Exception {
        float[] chw = new float[3 * H * W];
        for (int i = 0; i < H * W; i++) {
            for (int c = 0; c < 3; c++) {
                chw[c * H * W + i] = photo.rgb()[3 * i + c] & 0xff;
            }
        }
        ByteBuffer pixels = ByteBuffer.allocate(4 * chw.length).order(ByteOrder.LITTLE_ENDIAN);
        pixels.asFloatBuffer().put(chw);
        ObjectNode request = JSON.createObjectNode().put("model_name", "mymodel");
        ObjectNode input = request.putArray("inputs").addObject().put("name", "pixels").put("datatype", "FP32");
        input.putArray("shape").add(1).add(3).add(H).add(W);
        input.putObject("parameters").put("binary_data_size", pixels.capacity());
        request.putArray("outputs").addObject().put("name", "labels").putObject("parameters").put("binary_data", true);
        HttpResponse<byte[]> r = postBinary(request, pixels.array());
        assertEquals(200, r.statusCode(), text(r));
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElse(""));
        int jsonLength = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        assertEquals(r.body().length, Long.parseLong(r.headers().firstValue("Content-Length").orElseThrow()));
        JsonNode header = JSON.readTree(new String(r.body(), 0, jsonLength, StandardCharsets.UTF_8));
        JsonNode output = header.get("outputs").get(0);
        assertEquals("[1," + H + "," + W + "]", output.get("shape").toString());
        assertEquals(4 * H * W, output.get("parameters").get("binary_data_size").asInt());
        assertFalse(output.has("data"), "binary outputs carry no JSON data");
        assertEquals(jsonLength + 4 * H * W, r.body().length);
        int[] labels = new int[H * W];
        ByteBuffer.wrap(r.body(), jsonLength, 4 * H * W).slice().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(labels);
        assertArrayEquals(expected, labels);
    }

    /** "binary_data_output" asks for every output as binary, unless an output's "binary_data" says otherwise. */
    @Test
    void binaryDataOutputAppliesToEveryOutputUnlessOneOverridesIt() throws Exception {
        ObjectNode request = imageRequest("7");
        request.putObject("parameters").put("binary_data_output", true);
        request.withArray("outputs").addObject().put("name", "probabilities").putObject("parameters")
                .put("binary_data", false);
        HttpResponse<byte[]> r = postJson("/v2/models/mymodel/infer", request);
        assertEquals(200, r.statusCode(), text(r));
        int jsonLength = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode header = JSON.readTree(new String(r.body(), 0, jsonLength, StandardCharsets.UTF_8));
        assertEquals("7", header.get("id").asText());
        assertEquals(4 * H * W, header.get("outputs").get(0).get("parameters").get("binary_data_size").asInt());
        assertEquals(3 * H * W, header.get("outputs").get(1).get("data").size(), "probabilities in JSON");
        assertEquals(jsonLength + 4 * H * W, r.body().length);
    }

    /** A BYTES element in binary: "a 4-byte unsigned integer giving the length followed by the actual bytes". */
    @Test
    void aBinaryBytesElementIsItsLengthThenItsBytes() {
        ObjectNode request = JSON.createObjectNode();
        ObjectNode input = request.putArray("inputs").addObject().put("name", "image").put("datatype", "BYTES");
        input.putArray("shape").add(1);
        input.putObject("parameters").put("binary_data_size", 4 + PHOTO.length);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(PHOTO.length).array());
        data.writeBytes(PHOTO);
        HttpResponse<byte[]> r = postBinary(request, data.toByteArray());
        assertEquals(200, r.statusCode(), text(r));
        assertArrayEquals(expected, ints(TestServer.json(r).get("outputs").get(0).get("data")));
    }

    /** "If any binary data is present ... the Inference-Header-Content-Length header must be provided." */
    @Test
    void malformedBinaryRequestsCarryTheErrorObject() throws Exception {
        ObjectNode request = JSON.createObjectNode();
        ObjectNode input = request.putArray("inputs").addObject().put("name", "image").put("datatype", "BYTES");
        input.putArray("shape").add(1);
        input.putObject("parameters").put("binary_data_size", 4 + PHOTO.length);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(JSON.writeValueAsBytes(request));
        body.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(PHOTO.length).array());
        body.writeBytes(PHOTO);
        assertV2Error(server.post("/v2/models/mymodel/infer", body.toByteArray(), "application/octet-stream"), 400,
                "needs the Inference-Header-Content-Length header");
        byte[] oneTooMany = new byte[4 + PHOTO.length + 1];
        ByteBuffer.wrap(oneTooMany).order(ByteOrder.LITTLE_ENDIAN).putInt(PHOTO.length).put(PHOTO);
        assertV2Error(postBinary(request, oneTooMany), 400, "1 bytes follow the JSON header that no input's");
        assertV2Error(postBinary(request, new byte[10]), 400, "binary_data_size is " + (4 + PHOTO.length));
    }

    // ------------------------------------------------------------------ TorchServe / DJL Serving

    @Test
    void pingAnswersHealthy() {
        HttpResponse<byte[]> r = server.get("/ping");
        assertEquals(200, r.statusCode());
        assertJson(r);
        assertEquals("Healthy", TestServer.json(r).get("status").asText());
    }

    @Test
    void predictionsTakeARawBodyOrAMultipartFile() {
        HttpResponse<byte[]> raw = server.post("/predictions/mymodel", PHOTO, "image/png");
        assertEquals(200, raw.statusCode(), text(raw));
        JsonNode mask = TestServer.json(raw).get("mask");
        assertEquals(H, mask.size());
        for (int y = 0; y < H; y++) {
            int[] row = ints(mask.get(y));
            assertEquals(W, row.length);
            for (int x = 0; x < W; x++) {
                assertEquals(expected[y * W + x], row[x]);
            }
        }
        String boundary = "XyZ";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"body\"; filename=\"kitten.png\""
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(PHOTO);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        HttpResponse<byte[]> multipart = server.post("/predictions/mymodel", body.toByteArray(),
                "multipart/form-data; boundary=" + boundary);
        assertEquals(200, multipart.statusCode(), text(multipart));
        assertEquals(mask, TestServer.json(multipart).get("mask"));
    }

    /** TorchServe's error body: {"code": status, "type": exception name, "message": text}. */
    @Test
    void failedPredictionsCarryTorchServesErrorObject() {
        assertTorchServeError(server.post("/predictions/densenet161", PHOTO, "image/png"), 404,
                "ModelNotFoundException", "no model named 'densenet161'");
        assertTorchServeError(server.post("/predictions/mymodel", new byte[0], "image/png"), 400,
                "BadRequestException", "empty");
        assertTorchServeError(server.post("/predictions/mymodel", BadImages.notAnImage(), "image/png"), 415,
                "UnsupportedMediaTypeException", "not an image");
    }

    // ------------------------------------------------------------------ helpers

    private static ObjectNode imageRequest(String id) {
        ObjectNode request = JSON.createObjectNode().put("id", id);
        ObjectNode input = request.putArray("inputs").addObject().put("name", "image").put("datatype", "BYTES");
        input.putArray("shape").add(1);
        input.putArray("data").add(Base64.getEncoder().encodeToString(PHOTO));
        request.putArray("outputs").addObject().put("name", "labels");
        return request;
    }

    private static HttpResponse<byte[]> postJson(String path, JsonNode body) {
        try {
            return server.post(path, JSON.writeValueAsBytes(body), "application/json");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<byte[]> postBinary(JsonNode header, byte[] data) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(json);
        body.writeBytes(data);
        return server.send(HttpRequest.newBuilder(server.uri("/v2/models/mymodel/infer"))
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", Integer.toString(json.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    private static void assertJson(HttpResponse<byte[]> r) {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), text(r));
    }

    /** An error status and a JSON body whose "error" is a string holding the message. */
    private static void assertV2Error(HttpResponse<byte[]> r, int status, String message) {
        assertEquals(status, r.statusCode(), text(r));
        assertJson(r);
        JsonNode error = TestServer.json(r).get("error");
        assertTrue(error != null && error.isTextual() && error.asText().contains(message), text(r));
    }

    private static void assertTorchServeError(HttpResponse<byte[]> r, int status, String type, String message) {
        assertEquals(status, r.statusCode(), text(r));
        assertJson(r);
        JsonNode body = TestServer.json(r);
        assertEquals(status, body.get("code").asInt(), text(r));
        assertEquals(type, body.get("type").asText(), text(r));
        assertTrue(body.get("message").asText().contains(message), text(r));
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static String text(HttpResponse<byte[]> r) {
        return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
    }
}
