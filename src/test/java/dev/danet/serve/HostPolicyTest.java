package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.nn.HeadType;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page on another site cannot make the browser post to the server, and a name pointed at this
 * machine (DNS rebinding) is not answered: Host and Origin must name this server's hosts.
 */
class HostPolicyTest {

    @TempDir
    static Path dir;

    private static TestServer server;
    private static String port;
    private static final byte[] PHOTO = BadImages.png(32, 24, 7);

    @BeforeAll
    static void start() {
        server = new TestServer(TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET),
                TestServer.options(2).withAllowedHosts(List.of("Proxy.Example")));
        port = String.valueOf(server.server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestServer.RawAnswer post(String host, String origin) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Host", host);
        if (origin != null) {
            headers.put("Origin", origin);
        }
        headers.put("Content-Type", "image/png");
        return server.raw("POST", "/api/segment", headers, PHOTO);
    }

    private static void assertRefused(TestServer.RawAnswer answer, String message) throws Exception {
        assertEquals(403, answer.status(), answer.body());
        JsonNode body = new ObjectMapper().readTree(answer.body());
        assertEquals(403, body.get("status").asInt());
        assertTrue(body.get("error").asText().contains(message), answer.body());
        assertFalse(answer.body().contains("\n") || answer.body().contains("Exception"), answer.body());
    }

    @Test
    void theServersOwnNamesAndPagesAreServed() {
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "LOCALHOST",
                "proxy.example:443")) {
            assertEquals(200, post(host, null).status(), host);
        }
        assertEquals(200, post("127.0.0.1:" + port, "http://127.0.0.1:" + port).status(), "the page itself");
        assertEquals(200, post("localhost:" + port, "http://localhost:" + port).status());
        assertEquals(200, post("proxy.example", "https://proxy.example").status(), "an --allow-host name");
    }

    @Test
    void aCrossOriginPostIsRefusedWithOneLineBeforeItCostsAnything() throws Exception {
        long served = server.service.queue().completed();
        assertRefused(post("127.0.0.1:" + port, "http://evil.example"),
                "request from the page at 'http://evil.example' refused");
        assertRefused(post("127.0.0.1:" + port, "null"), "request from the page at 'null' refused");
        assertRefused(post("127.0.0.1:" + port, "http://127.0.0.1.evil.example:" + port), "refused");
        assertEquals(served, server.service.queue().completed(), "no refused request reached the model's queue");
    }

    @Test
    void anUnknownHostNameIsRefusedForPagesAndApiAlike() throws Exception {
        assertRefused(post("evil.example:" + port, null), "request for host 'evil.example:" + port + "' refused");
        assertRefused(server.raw("GET", "/api/info", Map.of("Host", "rebound.example"), new byte[0]),
                "request for host 'rebound.example' refused");
        assertRefused(server.raw("GET", "/", Map.of("Host", "rebound.example"), new byte[0]), "refused");
    }
}
