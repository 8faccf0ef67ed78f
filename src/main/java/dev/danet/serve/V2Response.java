package dev.danet.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes an Open Inference Protocol v2 infer response: {@code labels} INT32 [1, H, W] and
 * {@code probabilities} FP32 [1, K, H, W], each as JSON data or, where asked, as binary data
 * after the JSON header (little-endian, {@code binary_data_size} in the output's parameters,
 * the header's length in {@code Inference-Header-Content-Length}).
 */
final class V2Response {

    private V2Response() {}

    static void write(Context ctx, String model, V2Request request, SegmentationService.Inferred result) {
        ObjectNode root = JsonViews.JSON.createObjectNode().put("model_name", model).put("model_version", "1");
        if (request.id() != null) {
            root.put("id", request.id());
        }
        ArrayNode outputs = root.putArray("outputs");
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        if (request.labels()) {
            ObjectNode out = output(outputs, "labels", "INT32", 1, result.height(), result.width());
            int[] labels = result.labels();
            if (request.labelsBinary()) {
                ByteBuffer bytes = ByteBuffer.allocate(4 * labels.length).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asIntBuffer().put(labels);
                append(out, binary, bytes.array());
            } else {
                ArrayNode data = out.putArray("data");
                for (int label : labels) {
                    data.add(label);
                }
            }
        }
        if (request.probabilities()) {
            ObjectNode out = output(outputs, "probabilities", "FP32", 1, result.classes(), result.height(),
                    result.width());
            float[] p = result.probabilities();
            if (request.probabilitiesBinary()) {
                ByteBuffer bytes = ByteBuffer.allocate(4 * p.length).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(p);
                append(out, binary, bytes.array());
            } else {
                ArrayNode data = out.putArray("data");
                for (float v : p) {
                    data.add(v);
                }
            }
        }
        try {
            byte[] json = JsonViews.JSON.writeValueAsBytes(root);
            if (binary.size() == 0) {
                ctx.contentType("application/json").result(json);
            } else {
                ctx.header(InferenceProtocols.HEADER_LENGTH, Integer.toString(json.length));
                ByteArrayOutputStream body = new ByteArrayOutputStream(json.length + binary.size());
                body.write(json);
                binary.writeTo(body);
                ctx.contentType("application/octet-stream").result(body.toByteArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode output(ArrayNode outputs, String name, String datatype, long... shape) {
        ObjectNode out = outputs.addObject().put("name", name).put("datatype", datatype);
        ArrayNode dims = out.putArray("shape");
        for (long d : shape) {
            dims.add(d);
        }
        return out;
    }

    private static void append(ObjectNode out, ByteArrayOutputStream binary, byte[] bytes) {
        out.putObject("parameters").put("binary_data_size", bytes.length);
        binary.writeBytes(bytes);
    }
}
