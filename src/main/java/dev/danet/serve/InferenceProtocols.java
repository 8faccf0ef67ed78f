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
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The standard serving protocols beside the page's /api/*: the Open Inference Protocol v2
 * (KServe, Triton, MLServer; JSON and the binary tensor data extension) and TorchServe's / DJL
 * Serving's {@code /ping} and {@code /predictions/{name}}. Every inference is admitted as the
 * page's are: an upload slot while the body arrives (within the body timeout, up to the upload
 * limit), then a place in the {@link InferenceQueue}. See docs/serving.md.
 */
final class InferenceProtocols {

    /** The binary extension's header: the length of the JSON part that starts the body. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private final SegmentationService service;
    private final UploadSlots uploads;
    private final Function<Context, Uploads.Upload> body;
    private final ServerMetrics metrics;
    private final String modelName;
    private final BooleanSupplier ready;

    /**
     * @param body reads a request's body under the server's size and time limits
     * @param ready whether the server admits requests (false once it is shutting down)
     */
    InferenceProtocols(SegmentationService service, UploadSlots uploads, Function<Context, Uploads.Upload> body,
            ServerMetrics metrics, BooleanSupplier ready) {
        this.ready = ready;
        this.service = service;
        this.uploads = uploads;
        this.body = body;
        this.metrics = metrics;
        this.modelName = modelName(service);
    }

    private void readiness(Context ctx, com.fasterxml.jackson.databind.node.ObjectNode answer) {
        boolean admitting = ready.getAsBoolean();
        ctx.status(admitting ? 200 : 503);
        json(ctx, answer.put("ready", admitting));
    }

    /** The served model's name: its weights file's name without the extension. */
    static String modelName(SegmentationService service) {
        String file = service.model().weights().getFileName().toString();
        int dot = file.indexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    void register(Javalin app) {
        app.get("/v2", ctx -> json(ctx, serverMetadata()));
        app.get("/v2/health/live", ctx -> json(ctx, JsonViews.JSON.createObjectNode().put("live", true)));
        // Not ready (503) once shutting down, so that a balancer stops sending requests.
        app.get("/v2/health/ready", ctx -> readiness(ctx, JsonViews.JSON.createObjectNode()));
        app.get("/v2/models/{name}", ctx -> json(ctx, modelMetadata(model(ctx))));
        app.get("/v2/models/{name}/ready", ctx -> readiness(ctx, JsonViews.JSON.createObjectNode()
                .put("name", model(ctx))));
        app.post("/v2/models/{name}/infer", this::infer);
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

    private ObjectNode modelMetadata(String name) {
        int classes = service.model().classes().size();
        ObjectNode node = JsonViews.JSON.createObjectNode().put("name", name).put("platform", "danet_djl_pytorch");
        node.putArray("versions").add("1");
        ArrayNode inputs = node.putArray("inputs");
        tensor(inputs.addObject(), "image", "BYTES", 1);
        tensor(inputs.addObject(), "pixels", "FP32", 1, 3, -1, -1);
        ArrayNode outputs = node.putArray("outputs");
        tensor(outputs.addObject(), "labels", "INT32", 1, -1, -1);
        tensor(outputs.addObject(), "probabilities", "FP32", 1, classes, -1, -1);
        ArrayNode names = node.putObject("parameters").putArray("classes");
        service.model().classes().names().forEach(names::add);
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
        String name = model(ctx);
        Uploads.checkLength(ctx.req().getContentLengthLong(), service.options().maxUploadBytes());
        try (UploadSlots.Slot slot = uploads.take()) {
            byte[] bytes = body.apply(ctx).bytes();
            V2Request request = V2Request.parse(bytes, ctx.header(HEADER_LENGTH));
            SegmentationService.Inferred result;
            try (InferenceQueue.Ticket ticket = service.queue().admit()) {
                result = request.image() != null
                        ? service.infer(ticket, new Uploads.Upload("image", request.image()), request.probabilities())
                        : service.infer(ticket, "pixels", request.pixels(), request.probabilities());
            }
            metrics.inference((long) (result.modelSeconds() * 1e9));
            V2Response.write(ctx, name, request, result);
        }
    }

    // ------------------------------------------------------------------ TorchServe / DJL Serving

    private void predictions(Context ctx) {
        model(ctx);
        Uploads.checkLength(ctx.req().getContentLengthLong(), service.options().maxUploadBytes());
        try (UploadSlots.Slot slot = uploads.take()) {
            Uploads.Upload upload = body.apply(ctx);
            SegmentationService.Inferred result;
            try (InferenceQueue.Ticket ticket = service.queue().admit()) {
                result = service.infer(ticket, upload, false);
            }
            metrics.inference((long) (result.modelSeconds() * 1e9));
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

    // ------------------------------------------------------------------ helpers

    /** The path's model name, which must be the served model's (404 otherwise). */
    private String model(Context ctx) {
        String name = ctx.pathParam("name");
        if (!name.equals(modelName)) {
            throw HttpProblem.notFound("no model named '" + Uploads.displayName(name) + "'; this server serves '"
                    + modelName + "'");
        }
        return name;
    }

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
