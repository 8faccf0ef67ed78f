package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.data.ImageDecoder;
import dev.danet.data.RgbImage;
import dev.danet.inference.ImageSegmenter;
import dev.danet.nn.HeadType;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two different models served side by side ({@code --model NAME=FILE} twice): a DANet with 3
 * classes ("street", the default) and an FCN with 5 ("indoor"). Each answers under its own name
 * with its own metadata, classes and labels, also when both are asked at once; each has its own
 * queue, and the metrics say which model did what.
 */
class MultiModelServeTest {

    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> INDOOR = List.of("floor", "wall", "table", "chair", "lamp");
    private static final byte[] PHOTO = BadImages.png(40, 24, 7);
    private static TestServer server;
    private static final Map<String, int[]> EXPECTED = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        Map<String, Path> models = new LinkedHashMap<>();
        models.put("street", TinyModels.save(dir.resolve("street.danet"), HeadType.DANET));
        models.put("indoor", TinyModels.save(dir.resolve("indoor.danet"), HeadType.FCN, INDOOR));
        server = new TestServer(models, TestServer.options(4));
        RgbImage photo = ImageDecoder.decodeRgb("photo", PHOTO, 1_000_000);
        for (ServedModel m : server.served) {
            EXPECTED.put(m.name(), new ImageSegmenter(m.service().model().network(), m.service().options().inference())
                    .segment(photo, ImageSegmenter.Scores.NONE).labels());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static HttpResponse<byte[]> infer(String model) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("id", model);
        ObjectNode input = request.putArray("inputs").addObject().put("name", "image").put("datatype", "BYTES");
        input.putArray("shape").add(1);
        input.putArray("data").add(Base64.getEncoder().encodeToString(PHOTO));
        request.putArray("outputs").addObject().put("name", "labels");
        request.withArray("outputs").addObject().put("name", "probabilities");
        return server.post("/v2/models/" + model + "/infer", JSON.writeValueAsBytes(request), "application/json");
    }

    @Test
    void eachModelHasItsOwnMetadata() {
        JsonNode street = TestServer.json(server.get("/v2/models/street"));
        JsonNode indoor = TestServer.json(server.get("/v2/models/indoor"));
        assertEquals("street", street.get("name").asText());
        assertEquals("indoor", indoor.get("name").asText());
        assertEquals(TinyModels.CLASSES, JSON.convertValue(street.get("parameters").get("classes"), List.class));
        assertEquals(INDOOR, JSON.convertValue(indoor.get("parameters").get("classes"), List.class));
        assertEquals("[1,3,-1,-1]", street.get("outputs").get(1).get("shape").toString());
        assertEquals("[1,5,-1,-1]", indoor.get("outputs").get(1).get("shape").toString());
        assertEquals(indoor, TestServer.json(server.get("/v2/models/indoor/versions/1")));
        assertEquals(true, TestServer.json(server.get("/v2/models/indoor/ready")).get("ready").asBoolean());
        assertEquals("indoor", TestServer.json(server.get("/v2/models/indoor/ready")).get("name").asText());
    }

    @Test
    void bothModelsAskedAtOnceEachAnswerWithTheirOwnLabels() throws Exception {
        assertNotEquals(EXPECTED.get("street").length, 0);
        long streetBefore = server.served.get(0).service().queue().completed();
        long indoorBefore = server.served.get(1).service().queue().completed();
        int each = 4;
        ExecutorService clients = Executors.newFixedThreadPool(2 * each);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<byte[]>>> street = new ArrayList<>();
        List<Future<HttpResponse<byte[]>>> indoor = new ArrayList<>();
        List<Future<HttpResponse<byte[]>>> indoorTorchServe = new ArrayList<>();
        try {
            for (int i = 0; i < each; i++) {
                street.add(clients.submit(released(go, () -> infer("street"))));
                if (i % 2 == 0) {
                    indoor.add(clients.submit(released(go, () -> infer("indoor"))));
                } else {
                    indoorTorchServe.add(clients.submit(released(go,
                            () -> server.post("/predictions/indoor", PHOTO, "image/png"))));
                }
            }
            go.countDown();
            for (Future<HttpResponse<byte[]>> f : street) {
                checkV2(f.get(2, TimeUnit.MINUTES), "street", 3);
            }
            for (Future<HttpResponse<byte[]>> f : indoor) {
                checkV2(f.get(2, TimeUnit.MINUTES), "indoor", 5);
            }
            for (Future<HttpResponse<byte[]>> f : indoorTorchServe) {
                HttpResponse<byte[]> r = f.get(2, TimeUnit.MINUTES);
                assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
                JsonNode body = TestServer.json(r);
                assertEquals(INDOOR, JSON.convertValue(body.get("classes"), List.class));
                int[] flat = new int[24 * 40];
                for (int y = 0; y < 24; y++) {
                    System.arraycopy(ints(body.get("mask").get(y)), 0, flat, y * 40, 40);
                }
                assertArrayEquals(EXPECTED.get("indoor"), flat);
            }
        } finally {
            clients.shutdownNow();
        }
        // Each model's requests went through its own queue (and so its own inference thread).
        InferenceQueue streetQueue = server.served.get(0).service().queue();
        InferenceQueue indoorQueue = server.served.get(1).service().queue();
        assertNotSame(streetQueue, indoorQueue);
        assertEquals(each, streetQueue.completed() - streetBefore);
        assertEquals(each, indoorQueue.completed() - indoorBefore);
    }

    private static void checkV2(HttpResponse<byte[]> r, String model, int classes) {
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        JsonNode body = TestServer.json(r);
        assertEquals(model, body.get("model_name").asText());
        assertEquals(model, body.get("id").asText());
        assertArrayEquals(EXPECTED.get(model), ints(body.get("outputs").get(0).get("data")));
        assertEquals("[1," + classes + ",24,40]", body.get("outputs").get(1).get("shape").toString());
    }

    private static <T> Callable<T> released(CountDownLatch go, Callable<T> request) {
        return () -> {
            go.await();
            return request.call();
        };
    }

    @Test
    void anUnknownModelOrVersionGetsTheProtocolsNotFound() {
        HttpResponse<byte[]> v2 = server.post("/v2/models/garden/infer", "{}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertEquals(404, v2.statusCode());
        assertEquals("no model named 'garden'; this server serves 'street', 'indoor'",
                TestServer.json(v2).get("error").asText());
        assertEquals(404, server.get("/v2/models/garden/ready").statusCode());
        HttpResponse<byte[]> version = server.get("/v2/models/street/versions/2");
        assertEquals(404, version.statusCode());
        assertTrue(TestServer.json(version).get("error").asText().contains("has no version '2'"));
        JsonNode torchServe = TestServer.json(server.post("/predictions/garden", PHOTO, "image/png"));
        assertEquals(404, torchServe.get("code").asInt());
        assertEquals("ModelNotFoundException", torchServe.get("type").asText());
        assertTrue(torchServe.get("message").asText().startsWith("no model named 'garden'"));
    }

    @Test
    void thePageAndItsApiUseTheFirstModel() {
        JsonNode info = TestServer.json(server.get("/api/info"));
        assertEquals("street.danet", info.get("weights").asText());
        assertEquals(3, info.get("classes").size());
        assertEquals("[\"street\",\"indoor\"]", TestServer.json(server.get("/health")).get("models").toString());
        JsonNode segmented = TestServer.json(server.post("/api/segment", PHOTO, "image/png"));
        segmented.get("classes").forEach(c -> assertTrue(TinyModels.CLASSES.contains(c.get("name").asText())));
    }

    @Test
    void theMetricsSayWhichModelDidWhat() throws Exception {
        assertEquals(200, infer("street").statusCode());
        assertEquals(200, infer("indoor").statusCode());
        Map<String, PrometheusText.Family> metrics = PrometheusText.parse(
                new String(server.get("/metrics").body(), StandardCharsets.UTF_8));
        for (String model : List.of("street", "indoor")) {
            PrometheusText.Family inference = metrics.get("danet_inference_seconds");
            assertTrue(inference.find("danet_inference_seconds_count", Map.of("model", model)).get(0).value() >= 1,
                    model);
            assertEquals(5, metrics.get("danet_queue_capacity").find("danet_queue_capacity", Map.of("model", model))
                    .get(0).value());
            assertTrue(metrics.get("http_server_requests_seconds").find("http_server_requests_seconds_count",
                    Map.of("endpoint", "/v2/models/{name}/infer", "model", model, "status", "200")).get(0).value() >= 1);
        }
    }
}
