package dev.danet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.data.RgbImage;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The standard serving protocols beside the page's /api/*: the Open Inference Protocol v2
 * (KServe, Triton, MLServer; JSON and the binary tensor data extension) and TorchServe's / DJL
 * Serving's {@code /ping} and {@code /predictions/{name}}, each model by its name. Every
 * inference is admitted as the page's are, by the model it names: one of its upload slots
 * while the body arrives (within the body timeout, up to the upload limit), then a place in its
 * {@link InferenceQueue}. Errors are the v2 protocol's {@code {"error": ...}}, with TorchServe's
 * {@code code}, {@code type} and {@code message} besides on its paths. See docs/serving.md.
 */
final class InferenceProtocols {

    /** The binary extension's header: the length of the JSON part that starts the body. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    /** The one version of each model, as its metadata lists it and versioned paths may name it. */
    static final String VERSION = "1";

    private final ServedModels models;
    private final Function<Context, Uploads.Upload> body;
    private final ServerMetrics metrics;
    private final BooleanSupplier ready;

    /**
     * @param body reads a request's body under the server's size and time limits
     * @param ready whether the server admits requests (false once it is shutting down)
     */
    InferenceProtocols(ServedModels models, Function<Context, Uploads.Upload> body, ServerMetrics metrics,
            BooleanSupplier ready) {
        this.models = models;
        this.body = body;
        this.metrics = metrics;
        this.ready = ready;
    }

    private void readiness(Context ctx, ObjectNode answer) {
        boolean admitting = ready.getAsBoolean();
        ctx.status(admitting ? 200 : 503);
        json(ctx, answer.put("ready", admitting));
    }

    void register(Javalin app) {
        app.get("/v2", ctx -> json(ctx, serverMetadata()));
        app.get("/v2/health/live", ctx -> json(ctx, JsonViews.JSON.createObjectNode().put("live", true)));
        // Not ready (503) once shutting down, so that a balancer stops sending requests.
        app.get("/v2/health/ready", ctx -> readiness(ctx, JsonViews.JSON.createObjectNode()));
        // Each model path also under /versions/1, the version its metadata lists.
        for (String model : List.of("/v2/models/{name}", "/v2/models/{name}/versions/{version}")) {
            app.get(model, ctx -> json(ctx, modelMetadata(model(ctx))));
            app.get(model + "/ready", ctx -> readiness(ctx, JsonViews.JSON.createObjectNode()
                    .put("name", model(ctx).name())));
            app.post(model + "/infer", this::infer);
        }
        app.get("/ping", ctx -> json(ctx, JsonViews.JSON.createObjectNode().put("status", "Healthy")));
        app.post("/predictions/{name}", this::predictions);
        app.put("/predictions/{name}", this::predictions); // curl -T, as TorchServe's examples send it
    }

    // ------------------------------------------------------------------ Open Inference Protocol v2

    private ObjectNode serverMetadata() {
        ObjectNode node = JsonViews.JSON.createObjectNode().put("name", "danet").put("version", "0.1.0");
        node.putArray("extensions").add("binary_tensor_data");
        return node;
    }

    private ObjectNode modelMetadata(ServedModel model) {
        var classes = model.service().model().classes();
        ObjectNode node = JsonViews.JSON.createObjectNode().put("name", model.name())
                .put("platform", "danet_djl_pytorch");
        node.putArray("versions").add(VERSION);
        ArrayNode inputs = node.putArray("inputs");
        tensor(inputs.addObject(), V2Request.IMAGE, "BYTES", 1);
        tensor(inputs.addObject(), V2Request.PIXELS, "FP32", 1, 3, -1, -1);
        ArrayNode outputs = node.putArray("outputs");
        tensor(outputs.addObject(), "labels", "INT32", 1, -1, -1);
        tensor(outputs.addObject(), "probabilities", "FP32", 1, classes.size(), -1, -1);
        ArrayNode names = node.putObject("parameters").putArray("classes");
        classes.names().forEach(names::add);
        return node;
    }

    private static void tensor(ObjectNode node, String name, String datatype, long... shape) {
        node.put("name", name).put("datatype", datatype);
        ArrayNode dims = node.putArray("shape");
        for (long d : shape) {
            dims.add(d);
        }
    }

    private void infer(Context ctx) {
        ServedModel model = model(ctx);
        SegmentationService service = model.service();
        Uploads.checkLength(ctx.req().getContentLengthLong(), service.options().maxUploadBytes());
        try (UploadSlots.Slot slot = model.uploads().take()) {
            byte[] bytes = body.apply(ctx).bytes();
            V2Request request = V2Request.parse(bytes, ctx.header(HEADER_LENGTH));
            SegmentationService.Inferred result;
            try (InferenceQueue.Ticket ticket = service.queue().admit()) {
                result = request.image() != null
                        ? service.infer(ticket, new Uploads.Upload("image", request.image()), request.probabilities())
                        : service.infer(ticket, "pixels", request.pixels(), request.probabilities());
            }
            metrics.inference(model.name(), (long) (result.modelSeconds() * 1e9));
            V2Response.write(ctx, model.name(), request, result);
        }
    }

    // ------------------------------------------------------------------ TorchServe / DJL Serving

    private void predictions(Context ctx) {
        ServedModel model = model(ctx);
        SegmentationService service = model.service();
        Uploads.checkLength(ctx.req().getContentLengthLong(), service.options().maxUploadBytes());
        try (UploadSlots.Slot slot = model.uploads().take()) {
            Uploads.Upload upload = body.apply(ctx);
            SegmentationService.Inferred result;
            try (InferenceQueue.Ticket ticket = service.queue().admit()) {
                result = service.infer(ticket, upload, false);
            }
            metrics.inference(model.name(), (long) (result.modelSeconds() * 1e9));
            // DJL's CategoryMask as DJL Serving writes it: the class names and mask[row][column].
            ObjectNode node = JsonViews.JSON.createObjectNode();
            ArrayNode classes = node.putArray("classes");
            service.model().classes().names().forEach(classes::add);
            ArrayNode mask = node.putArray("mask");
            for (int y = 0; y < result.height(); y++) {
                ArrayNode row = mask.addArray();
                for (int x = 0; x < result.width(); x++) {
                    row.add(result.labels()[y * result.width() + x]);
                }
            }
            json(ctx, node);
        }
    }

    /** Whether a path is TorchServe's, whose clients read errors as {"code", "type", "message"}. */
    static boolean isTorchServe(String path) {
        return path.equals("/ping") || path.startsWith("/predictions/");
    }

    /**
     * Adds TorchServe's error fields to an error body: {@code code} (the status), {@code type}
     * (the name of the exception TorchServe would throw) and {@code message}.
     */
    static ObjectNode torchServeError(ObjectNode error, int status, String message) {
        String type = switch (status) {
            case 400 -> "BadRequestException";
            case 401 -> "UnauthorizedException";
            case 403 -> "ForbiddenException";
            case 404 -> "ModelNotFoundException";
            case 405 -> "MethodNotAllowedException";
            case 408 -> "RequestTimeoutException";
            case 413 -> "RequestEntityTooLargeException";
            case 415 -> "UnsupportedMediaTypeException";
            case 503 -> "ServiceUnavailableException";
            default -> "InternalServerException";
        };
        return error.put("code", status).put("type", type).put("message", message);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The model the path names (404 otherwise), and the version if it names one, which must be
     * {@link #VERSION}; noted on the request for the metrics.
     */
    private ServedModel model(Context ctx) {
        ServedModel model = models.get(ctx.pathParam("name"));
        String version = ctx.pathParamMap().get("version");
        if (version != null && !version.equals(VERSION)) {
            throw HttpProblem.notFound("model '" + model.name() + "' has no version '" + Uploads.displayName(version)
                    + "'; its one version is '" + VERSION + "'");
        }
        ctx.attribute(MODEL, model.name());
        return model;
    }

    /** The request attribute naming the model that answered it. */
    static final String MODEL = "danet.model";

    static void json(Context ctx, JsonNode node) {
        try {
            ctx.contentType("application/json").result(JsonViews.JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RGB values 0..255 as (3, H, W) floats, rounded and clamped, to interleaved 8-bit RGB. */
    static RgbImage pixels(float[] chw, int height, int width) {
        int plane = height * width;
        byte[] rgb = new byte[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float v = chw[c * plane + i];
                rgb[3 * i + c] = (byte) Math.max(0, Math.min(255, Math.round(Float.isNaN(v) ? 0 : v)));
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** Little-endian float32 or int32 values, as the binary extension carries them. */
    static ByteBuffer littleEndian(byte[] bytes, int offset, int length) {
        return ByteBuffer.wrap(bytes, offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest(what + " must hold the encoded image in base64: " + e.getMessage());
        }
    }
}
