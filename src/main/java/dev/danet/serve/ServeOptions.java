package dev.danet.serve;

import dev.danet.inference.InferenceOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the HTTP service runs and what it accepts. Every limit exists so that no request, and no
 * burst of requests, can take the process down.
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
 */
public record ServeOptions(String host, int port, long maxUploadBytes, long maxPixels, int maxWaiting,
        Duration maxWait, int cacheEntries, long cacheBytes, int attentionSide, InferenceOptions inference,
        Path samplesDir) {

    public ServeOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxUploadBytes < 1 || maxPixels < 1 || maxWaiting < 0 || cacheEntries < 1 || cacheBytes < 1
                || attentionSide < 16 || maxWait.isNegative()) {
            throw new IllegalArgumentException("limits must be positive (attention side at least 16)");
        }
    }

    /** Loopback, the given port, and the defaults the `serve` command documents. */
    public static ServeOptions defaults(int port) {
        return new ServeOptions("127.0.0.1", port, 20L << 20, 12_000_000L, 8, Duration.ofSeconds(60), 8,
                512L << 20, 512, InferenceOptions.singleScale(512), null);
    }

    public ServeOptions withLimits(long uploadBytes, long pixels, int waiting, Duration wait) {
        return new ServeOptions(host, port, uploadBytes, pixels, waiting, wait, cacheEntries, cacheBytes, attentionSide,
                inference, samplesDir);
    }

    public ServeOptions withCache(int entries, long bytes) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxWaiting, maxWait, entries, bytes,
                attentionSide, inference, samplesDir);
    }

    public ServeOptions withModelSettings(int side, InferenceOptions options, Path samples) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxWaiting, maxWait, cacheEntries, cacheBytes,
                side, options, samples);
    }

    public ServeOptions withAddress(String newHost, int newPort) {
        return new ServeOptions(newHost, newPort, maxUploadBytes, maxPixels, maxWaiting, maxWait, cacheEntries,
                cacheBytes, attentionSide, inference, samplesDir);
    }
}
