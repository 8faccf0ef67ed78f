package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.nn.HeadType;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shutting down during a burst loses no admitted request and admits no new one. */
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
}
