package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.nn.HeadType;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shutting down during a burst loses no admitted request and admits no new one: in process
 * (WebServer.shutDown) and in a real server process sent SIGTERM.
 */
class GracefulShutdownTest {

    @TempDir
    Path dir;

    @Test
    void everyAdmittedRequestIsAnsweredAndLaterOnesAreRefusedWithOneLine() throws Exception {
        int burst = 8;
        TestServer server = new TestServer(TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET),
                TestServer.options(burst));
        ExecutorService clients = Executors.newFixedThreadPool(burst);
        try {
            byte[] image = BadImages.png(320, 240, 5); // a few hundred ms each on the model, seconds for the burst
            List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                answers.add(clients.submit(() -> server.post("/api/segment", image, "image/png")));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (server.server.uploadsInProgress() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            int admitted = server.server.uploadsInProgress();
            assertTrue(admitted >= 2, "requests in flight when the shutdown begins: " + admitted);
            assertEquals(200, server.get("/v2/health/ready").statusCode());
            ExecutorService stopper = Executors.newSingleThreadExecutor();
            Future<Boolean> shutdown = stopper.submit(() -> server.server.shutDown(Duration.ofSeconds(60)));
            stopper.shutdown();
            while (!server.server.draining()) {
                Thread.sleep(1);
            }
            // Asked while the burst is still being worked off (seconds of it are left), so the
            // server is still up to answer.
            var notReady = server.get("/v2/health/ready");
            assertEquals(503, notReady.statusCode(), "not ready while shutting down");
            assertTrue(new String(notReady.body(), StandardCharsets.UTF_8).contains("\"ready\":false"));
            boolean finished = shutdown.get();
            assertTrue(finished, "every admitted request finished within the grace period");

            int served = 0;
            for (Future<HttpResponse<byte[]>> answer : answers) {
                HttpResponse<byte[]> response = answer.get(); // no connection was cut: every request has an answer
                String body = new String(response.body(), StandardCharsets.UTF_8);
                if (response.statusCode() == 200) {
                    served++;
                } else {
                    assertEquals(503, response.statusCode(), body);
                    assertTrue(body.contains("server shutting down"), body);
                }
            }
            assertTrue(served >= admitted, served + " served, " + admitted + " admitted when the shutdown began");
        } finally {
            clients.shutdownNow();
            server.service.close();
            server.model.close();
        }
    }

    /**
     * The real thing: `danet serve` in its own process (two models by --model), a burst of
     * concurrent v2 inferences, and SIGTERM while the burst is on the model. Every request is
     * answered, none cut off; each is a 200 with the model's labels or, if it came too late to be
     * admitted, a 503; at least all those admitted when the signal came are 200s; the process
     * logs that it finished them and exits as a terminated JVM does (143).
     */
    @Test
    void aSigtermDuringABurstLosesNoAdmittedRequest() throws Exception {
        Path street = TinyModels.save(dir.resolve("street.danet"), HeadType.DANET);
        Path indoor = TinyModels.save(dir.resolve("indoor.danet"), HeadType.FCN, List.of("floor", "wall"));
        Path log = dir.resolve("serve.log");
        int burst = 6; // the default queue admits 1 + 8: every request of the burst can be admitted
        byte[] request = JSON.writeValueAsBytes(imageRequest(BadImages.png(192, 144, 5)));
        ExecutorService clients = Executors.newFixedThreadPool(burst);
        // One libtorch thread: on a shared machine two spend most of a pass waiting for each other.
        try (ServeProcess server = ServeProcess.start(log, List.of("--threads", "1"),
                List.of("--model", "street=" + street, "--model", "indoor=" + indoor))) {
            assertEquals(200, server.get("/v2/models/indoor").statusCode());
            HttpResponse<byte[]> first = server.post("/v2/models/street/infer", request, "application/json");
            assertEquals(200, first.statusCode(), new String(first.body(), StandardCharsets.UTF_8));
            JsonNode labels = JSON.readTree(first.body()).get("outputs").get(0).get("data");
            long completedBefore = health(server).get("completed").asLong();

            List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                answers.add(clients.submit(() -> server.post("/v2/models/street/infer", request, "application/json")));
            }
            JsonNode atSignal = health(server);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (atSignal.get("inFlight").asInt() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
                atSignal = health(server);
            }
            server.terminate();
            long admitted = atSignal.get("inFlight").asLong() + atSignal.get("completed").asLong() - completedBefore;
            assertTrue(atSignal.get("inFlight").asInt() >= 3, "the signal came during the burst: " + atSignal);

            int served = 0;
            for (Future<HttpResponse<byte[]>> answer : answers) {
                HttpResponse<byte[]> r = answer.get(2, TimeUnit.MINUTES); // throws if a connection was cut
                String body = new String(r.body(), StandardCharsets.UTF_8);
                if (r.statusCode() == 200) {
                    assertEquals(labels, JSON.readTree(body).get("outputs").get(0).get("data"), "the model's labels");
                    served++;
                } else {
                    assertEquals(503, r.statusCode(), body);
                    assertTrue(body.contains("shutting down"), body);
                }
            }
            assertTrue(served >= admitted, served + " served, " + admitted + " admitted when SIGTERM came");
            assertEquals(143, server.waitForExit(Duration.ofSeconds(60)), "exit status of a JVM ended by SIGTERM");
            String stderr = Files.readString(log);
            assertTrue(stderr.contains("shutting down: finishing the requests in flight"), stderr);
            assertFalse(stderr.contains("still in flight"), stderr);
        } finally {
            clients.shutdownNow();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode health(ServeProcess server) throws Exception {
        return JSON.readTree(server.get("/health").body());
    }

    private static ObjectNode imageRequest(byte[] image) {
        ObjectNode request = JSON.createObjectNode();
        ObjectNode input = request.putArray("inputs").addObject().put("name", "image").put("datatype", "BYTES");
        input.putArray("shape").add(1);
        input.putArray("data").add(Base64.getEncoder().encodeToString(image));
        return request;
    }
}
