package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.nn.HeadType;
import dev.danet.testing.TinyModels;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server with an access token answers API calls only with it; probes and the page stay open. */
class AccessTokenTest {

    private static final String TOKEN = "s3cret-token";

    @TempDir
    static Path dir;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET),
                TestServer.options(2).withToken(TOKEN));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void apiCallsNeedTheTokenAsBearerOrCookieAndProbesDoNot() {
        var refused = server.get("/api/info");
        assertEquals(401, refused.statusCode());
        assertEquals("Bearer", refused.headers().firstValue("WWW-Authenticate").orElse(""));
        assertTrue(new String(refused.body()).contains("needs its access token"), new String(refused.body()));
        assertEquals(401, server.send(HttpRequest.newBuilder(server.uri("/metrics"))
                .header("Authorization", "Bearer wrong").GET().build()).statusCode());

        assertEquals(200, server.send(HttpRequest.newBuilder(server.uri("/api/info"))
                .header("Authorization", "Bearer " + TOKEN).GET().build()).statusCode());
        for (String open : new String[] {"/health", "/ping", "/v2/health/live", "/v2/health/ready", "/"}) {
            assertEquals(200, server.get(open).statusCode(), open);
        }

        var page = server.get("/?token=" + TOKEN);
        String cookie = page.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(cookie.startsWith(AccessToken.COOKIE + "=" + TOKEN) && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Strict"), cookie);
        assertEquals(200, server.send(HttpRequest.newBuilder(server.uri("/api/info"))
                .header("Cookie", AccessToken.COOKIE + "=" + TOKEN).GET().build()).statusCode());
        assertTrue(server.get("/?token=wrong").headers().firstValue("Set-Cookie").isEmpty(), "a wrong token sets nothing");
    }
}
