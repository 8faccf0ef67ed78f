package dev.danet.serve;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The access token a server bound beyond this machine asks for: every API call carries it as
 * {@code Authorization: Bearer TOKEN}, or the page's cookie. The page itself, opened once as
 * {@code /?token=TOKEN}, sets that cookie (HttpOnly, SameSite=Strict), so that its own calls and
 * pictures carry it. Health probes need no token. Tokens are compared in constant time.
 */
final class AccessToken {

    static final String COOKIE = "danet_token";
    private static final Set<String> OPEN = Set.of("/", "/app.js", "/style.css", "/health", "/ping",
            "/v2/health/live", "/v2/health/ready");

    private final byte[] token;

    private AccessToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** The check of a token, or null when the server has none. */
    static AccessToken of(String token) {
        return token == null ? null : new AccessToken(token);
    }

    /** Lets the request through or throws 401; the page's URL with the token sets the cookie. */
    void check(Context ctx) {
        String offered = ctx.queryParam("token");
        if (ctx.path().equals("/") && offered != null && matches(offered)) {
            Cookie cookie = new Cookie(COOKIE, offered);
            cookie.setHttpOnly(true);
            cookie.setSameSite(SameSite.STRICT);
            ctx.cookie(cookie);
            return;
        }
        if (OPEN.contains(ctx.path())) {
            return;
        }
        String header = ctx.header("Authorization");
        String bearer = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
        if ((bearer != null && matches(bearer)) || (ctx.cookie(COOKIE) != null && matches(ctx.cookie(COOKIE)))) {
            return;
        }
        ctx.header("WWW-Authenticate", "Bearer");
        throw HttpProblem.unauthorized("this server needs its access token: send 'Authorization: Bearer TOKEN'"
                + " (or open the page once as /?token=TOKEN)");
    }

    private boolean matches(String offered) {
        return MessageDigest.isEqual(token, offered.getBytes(StandardCharsets.UTF_8));
    }
}
