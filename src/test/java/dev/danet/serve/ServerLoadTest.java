package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.nn.HeadType;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import dev.danet.testing.ProbeImages;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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

    /**
     * The server in its own process, as the launcher runs it: a thin strip (1 x 20000, 59
     * windows), a wide and a large image, one too thin and one in an unsupported format, then 50
     * concurrent normal uploads. Its peak resident memory stays under 1 GB.
     */
    @Test
    void afterThinWideAndLargeUploadsAndAFiftyUploadBurstTheServerProcessPeaksUnderOneGigabyte() throws Exception {
        Path weights = TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET);
        StringBuilder record = new StringBuilder("serve process, tiny model, --max-pixels 4000000 (at most 72 windows)\n");
        try (ServeProcess server = ServeProcess.start(weights, dir.resolve("serve.log"), "--max-pixels", "4000000",
                "--max-upload-mb", "8")) {
            record.append(String.format(Locale.ROOT, "started: RSS %.0f MB%n", server.residentBytes() / 1e6));
            Map<String, byte[]> uploads = new LinkedHashMap<>();
            uploads.put("thin 20000x1", ProbeImages.png(20_000, 1));
            uploads.put("wide 4000x300", BadImages.png(4000, 300, 2));
            uploads.put("large 1500x1500", BadImages.png(1500, 1500, 3));
            uploads.put("too thin 300000x1", ProbeImages.png(300_000, 1));
            uploads.put("tiff", ProbeImages.plain(64, 64, "tiff"));
            Map<String, Integer> expected = Map.of("too thin 300000x1", 413, "tiff", 415);
            for (Map.Entry<String, byte[]> upload : uploads.entrySet()) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = server.post("/api/segment", upload.getValue(), "image/png");
                assertEquals(expected.getOrDefault(upload.getKey(), 200), r.statusCode(), upload.getKey() + ": "
                        + new String(r.body(), StandardCharsets.UTF_8));
                record.append(String.format(Locale.ROOT, "%s (%d bytes): %d in %.1f s, RSS %.0f MB, peak %.0f MB%n",
                        upload.getKey(), upload.getValue().length, r.statusCode(), (System.nanoTime() - t0) / 1e9,
                        server.residentBytes() / 1e6, server.peakBytes() / 1e6));
            }
            LoadRun.Result burst = LoadRun.run(server::post, BadImages.png(96, 64, 1), REQUESTS, server::residentBytes);
            assertTrue(burst.count(200) >= 1 + 8, burst.summary());
            assertEquals(REQUESTS, burst.count(200) + burst.count(503), burst.summary());
            long peak = server.peakBytes();
            record.append("burst: ").append(burst.summary())
                    .append(String.format(Locale.ROOT, "%npeak RSS of the server process: %.0f MB%n", peak / 1e6));
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "load-test-shapes.txt"), record);
            assertTrue(peak > 0 && peak < 1L << 30, "peak RSS " + peak / 1e6 + " MB\n" + record);
        }
    }
}
