package dev.danet.serve;

import dev.danet.inference.InferenceOptions;
import dev.danet.inference.WindowBudget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the HTTP service runs and what it accepts. Every limit exists so that no request, and no
 * burst of requests, can take the process down; together they are a request's budget (see
 * docs/serving.md, "Limits and failures").
 *
 * @param host address to bind (127.0.0.1: this machine only)
 * @param port TCP port (0: any free one, as tests use)
 * @param maxUploadBytes largest request body accepted (413 above)
 * @param maxPixels largest image accepted, read from its header before decoding (413 above)
 * @param maxWaiting requests that may wait for the model while one runs; more get 503 at once
 * @param maxWait how long a request waits for the model before it gets 503
 * @param cacheEntries analysed images kept for the attention endpoints (least recently used go)
 * @param cacheBytes bound on the heap those entries hold
 * @param attentionSide long side the model sees when attention features are computed
 * @param inference scales, flip and sliding windows for the segmentation
 * @param samplesDir extra sample images for the page (null: the built-in synthetic ones only)
 * @param maxWindows most model runs one image may take (413 above); 0: twice what a square image
 *     of maxPixels takes ({@link WindowBudget#forPixelLimit})
 * @param bodyTimeout longest time a request body may take to arrive (408 above)
 * @param allowedHosts host names the server answers to besides loopback and the bound address
 *     (Host header), and whose pages may post to it (Origin header)
 * @param token the access token every API call must carry, or null for none (see {@link AccessToken})
 */
public record ServeOptions(String host, int port, long maxUploadBytes, long maxPixels, int maxWaiting,
        Duration maxWait, int cacheEntries, long cacheBytes, int attentionSide, InferenceOptions inference,
        Path samplesDir, long maxWindows, Duration bodyTimeout, List<String> allowedHosts, String token) {

    public ServeOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxUploadBytes < 1 || maxPixels < 1 || maxWaiting < 0 || cacheEntries < 1 || cacheBytes < 1
                || attentionSide < 16 || maxWait.isNegative() || maxWindows < 0 || bodyTimeout.isNegative()
                || bodyTimeout.isZero()) {
            throw new IllegalArgumentException("limits must be positive (attention side at least 16)");
        }
        allowedHosts = List.copyOf(allowedHosts);
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the access token must not be blank");
        }
    }

    /** Loopback, the given port, and the defaults the `serve` command documents. */
    public static ServeOptions defaults(int port) {
        return new ServeOptions("127.0.0.1", port, 20L << 20, 12_000_000L, 8, Duration.ofSeconds(60), 8,
                512L << 20, 512, InferenceOptions.singleScale(512), null, 0, Duration.ofSeconds(30), List.of(), null);
    }

    /** The window budget of one image under these options. */
    public WindowBudget windowBudget() {
        return maxWindows > 0 ? new WindowBudget(inference, maxWindows)
                : WindowBudget.forPixelLimit(inference, maxPixels);
    }

    public ServeOptions withLimits(long uploadBytes, long pixels, int waiting, Duration wait) {
        return new ServeOptions(host, port, uploadBytes, pixels, waiting, wait, cacheEntries, cacheBytes, attentionSide,
                inference, samplesDir, maxWindows, bodyTimeout, allowedHosts, token);
    }

    /** The bounds on one request's work and time that the pixel and upload limits leave open. */
    public ServeOptions withRequestBudget(long windows, Duration body) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxWaiting, maxWait, cacheEntries, cacheBytes,
                attentionSide, inference, samplesDir, windows, body, allowedHosts, token);
    }

    public ServeOptions withCache(int entries, long bytes) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxWaiting, maxWait, entries, bytes,
                attentionSide, inference, samplesDir, maxWindows, bodyTimeout, allowedHosts, token);
    }

    public ServeOptions withModelSettings(int side, InferenceOptions options, Path samples) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxWaiting, maxWait, cacheEntries, cacheBytes,
                side, options, samples, maxWindows, bodyTimeout, allowedHosts, token);
    }

    public ServeOptions withAddress(String newHost, int newPort) {
        return new ServeOptions(newHost, newPort, maxUploadBytes, maxPixels, maxWaiting, maxWait, cacheEntries,
                cacheBytes, attentionSide, inference, samplesDir, maxWindows, bodyTimeout, allowedHosts, token);
    }

    public ServeOptions withAllowedHosts(List<String> hosts) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxWaiting, maxWait, cacheEntries, cacheBytes,
                attentionSide, inference, samplesDir, maxWindows, bodyTimeout, hosts, token);
    }

    /** Requires this token (null: none) on every API call (see {@link AccessToken}). */
    public ServeOptions withToken(String newToken) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxWaiting, maxWait, cacheEntries, cacheBytes,
                attentionSide, inference, samplesDir, maxWindows, bodyTimeout, allowedHosts, newToken);
    }
}
