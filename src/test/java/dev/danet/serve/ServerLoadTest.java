package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.nn.HeadType;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of 50 concurrent uploads on loopback with a tiny model: every request is answered
 * 200 or a clean 503, the queue never holds more than its bound, and the server stays up with
 * bounded memory. Two bursts, so that growth after warm-up would show. Numbers go to
 * target/load-test.txt (the timings are recorded, not asserted); docs/serving.md has a run
 * with the demo-sized model.
 */
class ServerLoadTest {

    static final int REQUESTS = 50;

    @TempDir
    Path dir;

    @Test
    void fiftyConcurrentUploadsGet200OrAClean503AndTheServerStaysUp() throws Exception {
        Path weights = TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET);
        try (TestServer server = new TestServer(weights, TestServer.options(8))) {
            byte[] image = BadImages.png(96, 64, 1);
            LoadRun.Result first = LoadRun.run(server, image, REQUESTS);
            LoadRun.Result second = LoadRun.run(server, image, REQUESTS);
            for (LoadRun.Result run : new LoadRun.Result[] {first, second}) {
                assertEquals(REQUESTS, run.answers().size());
                for (LoadRun.Answer a : run.answers()) {
                    assertTrue(a.status() == 200 || a.status() == 503, a.status() + " " + a.body());
                    if (a.status() == 503) {
                        assertTrue(a.body().contains("\"error\":\"server busy"), a.body());
                    }
                }
                assertTrue(run.count(200) >= 1 + 8, "at least the admitted ones are served: " + run.summary());
            }
            JsonNode health = TestServer.json(server.get("/health"));
            assertEquals("ok", health.get("status").asText());
            assertEquals(0, health.get("inFlight").asInt(), "every ticket was given back");
            assertTrue(health.get("peakInFlight").asInt() <= 9, "the queue bound held: " + health);
            // Bounded: a second burst must not need much more memory than the first left behind.
            long growth = second.rssAfter() - first.rssAfter();
            assertTrue(growth < 300L << 20, "RSS grew by " + growth / 1e6 + " MB over the second burst");
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "load-test.txt"), "tiny model, 96x64 PNG, queue 1 + 8\nburst 1: "
                    + first.summary() + "\nburst 2: " + second.summary() + "\nhealth after: " + health + "\n");
        }
    }
}
