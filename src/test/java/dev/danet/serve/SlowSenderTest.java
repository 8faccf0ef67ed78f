package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.nn.HeadType;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Senders that trickle a body, or stop sending it, hold no place in the model's queue and are
 * cut off with 408 once the body timeout has passed, so they cannot lock other clients out.
 */
class SlowSenderTest {

    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
    /** Queue 1: one running and one waiting, so three slow senders would fill it. */
    private static final int QUEUE = 1;

    @TempDir
    static Path dir;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET),
                TestServer.options(QUEUE).withRequestBudget(0, BODY_TIMEOUT));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * A raw connection that sends the headers of a 10000-byte upload and then its body, one byte
     * every {@code every} (none at all for null), until the server answers or closes.
     */
    static final class SlowSender implements AutoCloseable {

        private final Socket socket;
        private final Thread sender;
        private final long opened = System.nanoTime();

        SlowSender(int port, Duration every) throws IOException {
            socket = new Socket("127.0.0.1", port);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/segment HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: image/png\r\n"
                    + "Content-Length: 10000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            sender = new Thread(() -> {
                try {
                    while (every != null) {
                        Thread.sleep(every.toMillis());
                        out.write(0);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection, or the test is over
                }
            });
            sender.setDaemon(true);
            sender.start();
        }

        /** The answer's status line, or null when none comes within the wait. */
        String statusLine(Duration wait) throws IOException {
            socket.setSoTimeout((int) wait.toMillis());
            try {
                return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
                        .readLine();
            } catch (SocketTimeoutException e) {
                return null;
            }
        }

        double secondsOpen() {
            return (System.nanoTime() - opened) / 1e9;
        }

        @Override
        public void close() throws IOException {
            sender.interrupt();
            socket.close();
        }
    }

    @Test
    void tricklingSendersHoldNoQueuePlaceAndGet408OnceTheBodyTimeoutHasPassed() throws Exception {
        List<SlowSender> senders = new ArrayList<>();
        try {
            for (int i = 0; i < QUEUE + 2; i++) {
                senders.add(new SlowSender(server.server.port(), Duration.ofMillis(200)));
            }
            Thread.sleep(300);
            var normal = server.post("/api/segment", BadImages.png(32, 24, 1), "image/png");
            assertEquals(200, normal.statusCode(), "a normal client is served while the slow ones trickle: "
                    + new String(normal.body(), StandardCharsets.UTF_8));
            for (SlowSender s : senders) {
                String status = s.statusLine(BODY_TIMEOUT.plusSeconds(4));
                assertEquals("HTTP/1.1 408 Request Timeout", status, "after " + s.secondsOpen() + " s");
                double open = s.secondsOpen();
                assertTrue(open < BODY_TIMEOUT.toSeconds() + 1.5, "408 after " + open + " s");
            }
        } finally {
            for (SlowSender s : senders) {
                s.close();
            }
        }
        JsonNode health = TestServer.json(server.get("/health"));
        assertEquals(0, health.get("inFlight").asInt(), "every place was given back: " + health);
    }

    @Test
    void aFloodOfSlowSendersLocksOthersOutForTheBodyTimeoutAtMost() throws Exception {
        int slots = 2 * (1 + QUEUE);
        List<SlowSender> senders = new ArrayList<>();
        try {
            for (int i = 0; i < slots; i++) {
                senders.add(new SlowSender(server.server.port(), Duration.ofMillis(200)));
            }
            // Every sender holds a slot once its first body bytes are in: wait for that, not a fixed time
            // (on a busy machine 300 ms was not always enough).
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.server.uploadsInProgress() < slots && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(slots, server.server.uploadsInProgress(), "every slow sender holds a slot");
            var refused = server.post("/api/segment", BadImages.png(32, 24, 3), "image/png");
            assertEquals(503, refused.statusCode());
            assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("server busy: " + slots
                    + " uploads are already arriving or being processed"), new String(refused.body()));
            for (SlowSender s : senders) {
                assertEquals("HTTP/1.1 408 Request Timeout", s.statusLine(BODY_TIMEOUT.plusSeconds(4)));
            }
            assertEquals(200, server.post("/api/segment", BadImages.png(32, 24, 3), "image/png").statusCode(),
                    "served again once the slow senders are cut off");
        } finally {
            for (SlowSender s : senders) {
                s.close();
            }
        }
    }

    @Test
    void aSenderThatStopsSendingItsBodyGets408() throws Exception {
        try (SlowSender silent = new SlowSender(server.server.port(), null)) {
            assertEquals("HTTP/1.1 408 Request Timeout", silent.statusLine(BODY_TIMEOUT.plusSeconds(4)));
            assertTrue(silent.secondsOpen() < BODY_TIMEOUT.toSeconds() + 1.5, "408 after " + silent.secondsOpen() + " s");
        }
        assertEquals(200, server.post("/api/segment", BadImages.png(32, 24, 2), "image/png").statusCode());
    }
}
