package dev.danet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.DanetException;
import dev.danet.data.ImageProblem;
import dev.danet.data.RgbImage;
import dev.danet.inference.AttentionFeatures;
import dev.danet.inference.AttentionReport;
import dev.danet.viz.AttentionPictures;
import dev.danet.viz.Images;
import dev.danet.viz.LabelPictures;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP face of one or more {@link ServedModel}s (Javalin on Jetty): the web page and its
 * JSON and PNG endpoints (on the first, default model), the standard protocols (each model by
 * name), and the mapping of every failure to a status with a one-line JSON message. See
 * docs/serving.md for the endpoints.
 */
public final class WebServer implements AutoCloseable {

    /** Pictures of an analysed image: the photo, the label PNG, the colour labels and the overlay. */
    static final List<String> PICTURES = List.of("photo", "label", "colour", "overlay");

    private static final String WEB = "/dev/danet/serve/web/";
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html", "/app.js", "app.js", "/style.css", "style.css");
    private static final float OVERLAY_OPACITY = 0.6f;
    private static final String STARTED = "danet.started";

    private final ServedModels models;
    /** The default model's service and upload slots: what the page and /api/* use. */
    private final SegmentationService service;
    private final UploadSlots uploads;
    private final HostPolicy hosts;
    private final SampleImages samples;
    private final Javalin app;
    private final ServerMetrics metrics;
    private final long started = System.nanoTime();
    /** How long a stopping server still answers once nothing admitted is left. */
    private static final Duration LINGER = Duration.ofMillis(500);
    /** Set by {@link #shutDown}: requests not yet admitted are refused, admitted ones finish. */
    private volatile boolean draining;

    private WebServer(ServedModels models) {
        this.models = models;
        this.service = models.defaultModel().service();
        this.uploads = models.defaultModel().uploads();
        ServeOptions options = service.options();
        this.samples = new SampleImages(options.samplesDir(), options.maxUploadBytes());
        this.hosts = HostPolicy.of(options.host(), options.allowedHosts());
        this.metrics = new ServerMetrics(models);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            // Enough threads for every model's upload slots and queue places plus quick answers (health, pages, 503s).
            config.jetty.threadPool = new QueuedThreadPool(models.requestCapacity() + 32, 4, 60_000);
            config.http.maxRequestSize = options.maxUploadBytes();
            // Jetty waits for a body's first bytes before it runs the handler; a sender of none is cut off after this.
            config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(options.bodyTimeout().toMillis()));
        });
        routes();
    }

    /** Starts serving one model, named after its weights file; the port is {@link #port()} (useful with port 0). */
    public static WebServer start(SegmentationService service) {
        return start(List.of(ServedModel.named(service)));
    }

    /**
     * Starts serving the models, each under its name; the first is the default (the page and
     * /api/*) and its options give the server-wide settings (address, body limits, token, hosts).
     */
    public static WebServer start(List<ServedModel> models) {
        WebServer server = new WebServer(new ServedModels(models));
        ServeOptions options = server.service.options();
        server.app.start(options.host(), options.port());
        return server;
    }

    public int port() {
        return app.port();
    }

    /** Upload slots taken now over all models: bodies arriving, waiting or being processed (tests wait on it). */
    int uploadsInProgress() {
        return models.uploadsTaken();
    }

    /**
     * Stops gracefully: from now on a request that has no upload slot yet is refused (503,
     * "shutting down"), every admitted one (body arriving, waiting for the model or on it) is
     * finished and answered, then the server stops; at most after the grace period.
     *
     * @return whether every admitted request finished within the grace period
     */
    public boolean shutDown(Duration grace) {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        boolean finished;
        while (!(finished = models.uploadsTaken() == 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            Thread.sleep(LINGER.toMillis()); // answers (503s) already being written get out
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        return finished;
    }

    /** Whether {@link #shutDown} has begun. */
    public boolean draining() {
        return draining;
    }

    /** Stops at once: requests in flight are cut off (see {@link #shutDown} for the graceful way). */
    @Override
    public void close() {
        app.stop();
    }

    // ------------------------------------------------------------------ routes

    private void routes() {
        app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        // Before anything else: a request from another site's page, or for another host name, costs nothing.
        app.before(ctx -> hosts.check(ctx.header("Host"), ctx.header("Origin")));
        AccessToken token = AccessToken.of(service.options().token());
        if (token != null) {
            app.before(token::check);
        }
        // Shutting down: nothing new is admitted (reads still answer, so a balancer sees the state).
        app.before(ctx -> {
            if (draining && !ctx.method().toString().equals("GET")) {
                throw HttpProblem.busy("server shutting down: it finishes the requests it has and takes no more");
            }
        });
        app.after(this::count);
        PAGES.forEach((path, file) -> {
            byte[] bytes = resource(file);
            String type = file.endsWith(".html") ? "text/html; charset=utf-8"
                    : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            app.get(path, ctx -> ctx.contentType(type).result(bytes));
        });
        app.get("/health", ctx -> json(ctx, JsonViews.health(service, models.names(),
                (System.nanoTime() - started) / 1e9)));
        app.get("/api/info", ctx -> json(ctx, JsonViews.info(service, samples)));
        app.get("/api/samples/{name}", ctx -> ctx.contentType(contentTypeOf(ctx.pathParam("name")))
                .result(samples.get(ctx.pathParam("name"))));
        app.post("/api/segment", this::segment);
        app.post("/api/analyze", this::analyze);
        app.get("/api/images/{id}/attention", this::attention);
        app.get("/api/images/{id}/channels/{channel}", this::channel);
        app.get("/api/images/{id}/{picture}", this::picture);
        new InferenceProtocols(models, this::read, metrics, () -> !draining).register(app);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));

        app.exception(HttpResponseException.class, (e, ctx) -> fail(ctx, e.getStatus(), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> failure(ctx, e));
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                fail(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path() + " (see /api/info and docs/serving.md)");
            }
        });
    }

    private void segment(Context ctx) {
        Uploads.checkLength(ctx.req().getContentLengthLong(), service.options().maxUploadBytes());
        String output = ctx.queryParamAsClass("output", String.class).getOrDefault("json").toLowerCase(Locale.ROOT);
        if (!output.equals("json") && !PICTURES.contains(output)) {
            throw HttpProblem.badRequest("output must be json, label, colour or overlay, got '" + output + "'");
        }
        try (UploadSlots.Slot slot = uploads.take()) {
            Uploads.Upload upload = read(ctx);
            try (InferenceQueue.Ticket ticket = service.queue().admit()) {
                SegmentationService.Segmented s = service.segment(ticket, upload);
                if (output.equals("json")) {
                    json(ctx, JsonViews.segmented(s, service));
                } else {
                    png(ctx, render(output, s.photo(), s.labels()));
                }
            }
        }
    }

    private void analyze(Context ctx) {
        Uploads.checkLength(ctx.req().getContentLengthLong(), service.options().maxUploadBytes());
        try (UploadSlots.Slot slot = uploads.take()) {
            Uploads.Upload upload = read(ctx);
            try (InferenceQueue.Ticket ticket = service.queue().admit()) {
                json(ctx, JsonViews.analysis(service.analyze(ticket, upload)));
            }
        }
    }

    private void picture(Context ctx) {
        String file = ctx.pathParam("picture");
        String kind = file.endsWith(".png") ? file.substring(0, file.length() - 4) : file;
        if (!PICTURES.contains(kind)) {
            throw HttpProblem.notFound("no picture '" + file + "'; there are photo.png, label.png, colour.png and"
                    + " overlay.png");
        }
        AttentionReport report = service.analysis(ctx.pathParam("id")).report();
        png(ctx, render(kind, report.photo(), report.labels()));
    }

    private void attention(Context ctx) {
        int x = intParam(ctx, "x");
        int y = intParam(ctx, "y");
        boolean png = wantsPng(ctx);
        AttentionReport.PositionRow row;
        try (InferenceQueue.Ticket ticket = service.queue().admit()) {
            row = service.attention(ticket, ctx.pathParam("id"), x, y);
        }
        if (png) {
            AttentionReport report = service.analysis(ctx.pathParam("id")).report();
            png(ctx, AttentionPictures.positionRow(Images.toBufferedImage(report.photo()), row, Color.WHITE));
        } else {
            json(ctx, JsonViews.attention(row));
        }
    }

    private void channel(Context ctx) {
        int channel;
        try {
            channel = Integer.parseInt(ctx.pathParam("channel"));
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("channel must be a whole number, got '" + ctx.pathParam("channel") + "'");
        }
        boolean png = wantsPng(ctx);
        AttentionReport report = service.reportWithChannel(ctx.pathParam("id"), channel);
        AttentionFeatures f = report.features();
        if (png) {
            png(ctx, AttentionPictures.channel(Images.toBufferedImage(report.photo()), f, channel));
        } else {
            json(ctx, JsonViews.map(f.channelMap(channel), f.width(), f.height()).put("channel", channel));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Counts a finished request under its route's pattern (one series per endpoint, not per id). */
    private void count(Context ctx) {
        Long start = ctx.attribute(STARTED);
        String endpoint;
        try {
            endpoint = ctx.endpointHandlerPath();
        } catch (RuntimeException e) {
            endpoint = "";
        }
        if (endpoint == null || endpoint.isEmpty() || ctx.status().getCode() == 404 && endpoint.equals("*")) {
            endpoint = "unmatched";
        }
        String model = ctx.attribute(InferenceProtocols.MODEL);
        metrics.request(endpoint, ctx.method().name(), ctx.status().getCode(),
                model != null ? model : isPageApi(endpoint) ? models.defaultModel().name() : ServerMetrics.NO_MODEL,
                start == null ? 0 : System.nanoTime() - start);
    }

    /** Whether an endpoint is the page's API, which works on the default model. */
    private static boolean isPageApi(String endpoint) {
        return endpoint.startsWith("/api/segment") || endpoint.startsWith("/api/analyze")
                || endpoint.startsWith("/api/images/");
    }

    /** The upload in the body, which must arrive within the body timeout (408 otherwise). */
    private Uploads.Upload read(Context ctx) {
        // Each read may wait only for the time left: the connection's idle timeout is set to it.
        Request request = Request.getBaseRequest(ctx.req());
        EndPoint connection = request == null ? null : request.getHttpChannel().getEndPoint();
        long idleTimeout = connection == null ? 0 : connection.getIdleTimeout();
        try {
            InputStream body = new TimedBody(ctx.req().getInputStream(), service.options().bodyTimeout(),
                    millis -> {
                        if (connection != null) {
                            connection.setIdleTimeout(millis);
                        }
                    });
            return Uploads.read(body, ctx.contentType(), service.options().maxUploadBytes(), ctx.queryParam("name"));
        } catch (IOException e) {
            throw HttpProblem.badRequest("could not read the upload: " + e.getMessage());
        } finally {
            if (connection != null) {
                connection.setIdleTimeout(idleTimeout);
            }
        }
    }

    private BufferedImage render(String kind, RgbImage photo, int[] labels) {
        var classes = service.model().classes();
        return switch (kind) {
            case "photo" -> Images.toBufferedImage(photo);
            case "label" -> LabelPictures.indexed(labels, photo.width(), photo.height(), classes);
            case "colour" -> LabelPictures.colour(labels, photo.width(), photo.height(), classes);
            case "overlay" -> Images.overlay(Images.toBufferedImage(photo), labels, classes, OVERLAY_OPACITY);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static boolean wantsPng(Context ctx) {
        String format = ctx.queryParam("format");
        if (format == null || format.equalsIgnoreCase("json")) {
            return false;
        }
        if (format.equalsIgnoreCase("png")) {
            return true;
        }
        throw HttpProblem.badRequest("format must be json or png, got '" + format + "'");
    }

    private static int intParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            throw HttpProblem.badRequest("missing query parameter " + name + " (pixel coordinates ?x=..&y=..)");
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest(name + " must be a whole number of pixels, got '" + value + "'");
        }
    }

    private static void json(Context ctx, JsonNode body) {
        try {
            ctx.contentType("application/json").result(JsonViews.JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void png(Context ctx, BufferedImage image) {
        ctx.contentType("image/png").result(Pictures.png(image));
    }

    private static void fail(Context ctx, int status, String message) {
        if (status == 503) {
            ctx.header("Retry-After", "1");
        }
        if (status == 408) {
            ctx.header("Connection", "close"); // the rest of the body is not waited for
        }
        ctx.status(status);
        var body = JsonViews.error(status, message);
        json(ctx, InferenceProtocols.isTorchServe(ctx.path()) ? InferenceProtocols.torchServeError(body, status, message)
                : body);
    }

    /** Every failure becomes a status and one line; only unexpected ones are logged. */
    private static void failure(Context ctx, Exception e) {
        if (e instanceof HttpProblem p) {
            fail(ctx, p.status(), p.getMessage());
        } else if (e instanceof ImageProblem p) {
            int status = switch (p.kind()) {
                case NOT_AN_IMAGE -> 415;
                case TOO_LARGE -> 413;
                default -> 400;
            };
            fail(ctx, status, p.getMessage());
        } else if (e instanceof DanetException d) {
            fail(ctx, 400, d.getMessage());
        } else {
            System.err.println("danet serve: " + ctx.method() + " " + ctx.path() + " failed: " + e);
            fail(ctx, 500, "internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
        }
    }

    private static String contentTypeOf(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") ? "image/png" : n.endsWith(".gif") ? "image/gif" : n.endsWith(".bmp") ? "image/bmp"
                : "image/jpeg";
    }

    private static byte[] resource(String file) {
        try (InputStream in = WebServer.class.getResourceAsStream(WEB + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + WEB + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
