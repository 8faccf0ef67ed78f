package dev.danet.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.data.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An Open Inference Protocol v2 infer request, read from JSON or from the binary tensor data
 * extension (a JSON header of {@code Inference-Header-Content-Length} bytes, then the tensors'
 * bytes in input order). One input: {@code image} (BYTES, shape [1], the encoded image: base64
 * in JSON, a 4-byte little-endian length and the bytes in binary) or {@code pixels} (FP32
 * [1, 3, H, W], RGB values 0..255). Outputs {@code labels} and {@code probabilities}, each in
 * JSON or binary ({@code "parameters": {"binary_data": true}}); none named: the labels.
 *
 * @param id the request's id, echoed (null when it has none)
 * @param image the encoded image, or null
 * @param pixels the pixels of an FP32 input, or null
 * @param labels whether the labels are asked for
 * @param labelsBinary labels as binary data
 * @param probabilities whether the probabilities are asked for
 * @param probabilitiesBinary probabilities as binary data
 */
record V2Request(String id, byte[] image, RgbImage pixels, boolean labels, boolean labelsBinary,
        boolean probabilities, boolean probabilitiesBinary) {

    /** The inputs, as the model metadata names them. */
    static final String IMAGE = "image";
    static final String PIXELS = "pixels";

    static V2Request parse(byte[] body, String headerLength) {
        int jsonLength = body.length;
        if (headerLength != null) {
            try {
                jsonLength = Integer.parseInt(headerLength.trim());
            } catch (NumberFormatException e) {
                jsonLength = -1;
            }
            if (jsonLength < 1 || jsonLength > body.length) {
                throw HttpProblem.badRequest(InferenceProtocols.HEADER_LENGTH + " must be the JSON header's length,"
                        + " 1.." + body.length + ", got '" + headerLength + "'");
            }
        }
        JsonNode root = readJson(body, jsonLength, headerLength);
        if (root == null || !root.isObject()) {
            throw HttpProblem.badRequest("the inference request must be a JSON object with \"inputs\"");
        }
        JsonNode inputs = root.path("inputs");
        if (!inputs.isArray() || inputs.size() != 1) {
            throw HttpProblem.badRequest("expects one input: \"image\" (BYTES [1], the encoded image) or \"pixels\""
                    + " (FP32 [1,3,H,W], RGB 0..255)");
        }
        Binary binary = new Binary(body, jsonLength);
        JsonNode input = inputs.get(0);
        String inputName = input.path("name").asText("");
        if (!inputName.equals(IMAGE) && !inputName.equals(PIXELS)) {
            throw HttpProblem.badRequest("unknown input '" + Uploads.displayName(inputName) + "'; the inputs are \""
                    + IMAGE + "\" (BYTES [1], the encoded image) and \"" + PIXELS + "\" (FP32 [1,3,H,W], RGB 0..255)");
        }
        String datatype = input.path("datatype").asText("");
        long[] shape = shape(input.path("shape"));
        byte[] image = null;
        RgbImage pixels = null;
        switch (datatype) {
            case "BYTES" -> image = bytes(input, shape, binary);
            case "FP32" -> pixels = pixels(input, shape, binary);
            default -> throw HttpProblem.badRequest("input datatype must be BYTES (an encoded image) or FP32"
                    + " ([1,3,H,W] pixels), got '" + datatype + "'");
        }
        binary.checkAllTaken();
        boolean allBinary = root.path("parameters").path("binary_data_output").asBoolean(false);
        JsonNode outputs = root.path("outputs");
        boolean labels = !outputs.isArray() || outputs.isEmpty();
        boolean labelsBinary = allBinary;
        boolean probabilities = false;
        boolean probabilitiesBinary = allBinary;
        if (outputs.isArray()) {
            for (JsonNode output : outputs) {
                String name = output.path("name").asText("");
                boolean asBinary = output.path("parameters").path("binary_data").asBoolean(allBinary);
                switch (name) {
                    case "labels" -> {
                        labels = true;
                        labelsBinary = asBinary;
                    }
                    case "probabilities" -> {
                        probabilities = true;
                        probabilitiesBinary = asBinary;
                    }
                    default -> throw HttpProblem.badRequest("unknown output '" + Uploads.displayName(name)
                            + "'; the outputs are labels and probabilities");
                }
            }
        }
        String id = root.hasNonNull("id") ? root.get("id").asText() : null;
        return new V2Request(id, image, pixels, labels, labelsBinary, probabilities, probabilitiesBinary);
    }

    /**
     * The JSON object that starts the body: exactly one JSON value in its first {@code length}
     * bytes. Anything after it there is refused, not dropped: without the header it is binary
     * data whose header is missing.
     */
    private static JsonNode readJson(byte[] body, int length, String headerLength) {
        JsonNode root;
        boolean trailing;
        try (JsonParser parser = JsonViews.JSON.createParser(body, 0, length)) {
            root = JsonViews.JSON.readTree(parser);
            try {
                trailing = parser.nextToken() != null;
            } catch (IOException e) {
                trailing = true; // bytes after the value that are no JSON at all
            }
        } catch (IOException e) {
            throw HttpProblem.badRequest("the inference request is not JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (trailing) {
            throw HttpProblem.badRequest(headerLength == null
                    ? "the body holds more than one JSON object: binary tensor data after the JSON needs the "
                            + InferenceProtocols.HEADER_LENGTH + " header giving the JSON's length"
                    : "the JSON header (the first " + length + " bytes, as " + InferenceProtocols.HEADER_LENGTH
                            + " says) holds more than one JSON object");
        }
        return root;
    }

    private static byte[] bytes(JsonNode input, long[] shape, Binary binary) {
        if (Arrays.stream(shape).reduce(1, (a, b) -> a * b) != 1) {
            throw HttpProblem.badRequest("the BYTES input holds one encoded image: shape [1], got "
                    + Arrays.toString(shape));
        }
        JsonNode size = input.path("parameters").path("binary_data_size");
        if (size.isNumber()) {
            ByteBuffer data = binary.take(size.asLong(), "image");
            if (data.remaining() < 4) {
                throw HttpProblem.badRequest("the binary BYTES element needs its 4-byte length first");
            }
            int length = data.getInt();
            if (length < 0 || length != data.remaining()) {
                throw HttpProblem.badRequest("the binary BYTES element says " + length + " bytes, "
                        + data.remaining() + " follow");
            }
            byte[] out = new byte[length];
            data.get(out);
            return out;
        }
        JsonNode data = input.path("data");
        JsonNode element = data.isArray() && data.size() == 1 ? data.get(0) : data;
        if (!element.isTextual()) {
            throw HttpProblem.badRequest("the BYTES input's data must be one string: the encoded image in base64");
        }
        return InferenceProtocols.base64(element.asText(), "the BYTES input's data");
    }

    private static RgbImage pixels(JsonNode input, long[] shape, Binary binary) {
        if (shape.length != 4 || shape[0] != 1 || shape[1] != 3 || shape[2] < 1 || shape[3] < 1
                || shape[2] * shape[3] > Integer.MAX_VALUE / 12) {
            throw HttpProblem.badRequest("the FP32 input must have shape [1,3,H,W], got " + Arrays.toString(shape));
        }
        int height = (int) shape[2];
        int width = (int) shape[3];
        int count = 3 * height * width;
        float[] values = new float[count];
        JsonNode size = input.path("parameters").path("binary_data_size");
        if (size.isNumber()) {
            if (size.asLong() != 4L * count) {
                throw HttpProblem.badRequest("the FP32 input of shape " + Arrays.toString(shape) + " is "
                        + 4L * count + " bytes, binary_data_size says " + size.asLong());
            }
            binary.take(size.asLong(), "pixels").asFloatBuffer().get(values);
        } else {
            int[] at = {0};
            flatten(input.path("data"), values, at);
            if (at[0] != count) {
                throw HttpProblem.badRequest("the FP32 input of shape " + Arrays.toString(shape) + " needs " + count
                        + " values, got " + at[0]);
            }
        }
        return InferenceProtocols.pixels(values, height, width);
    }

    /** The data as a flat list, in row-major order (the protocol allows nested arrays too). */
    private static void flatten(JsonNode data, float[] into, int[] at) {
        if (!data.isArray()) {
            throw HttpProblem.badRequest("the FP32 input's data must be an array of numbers");
        }
        for (JsonNode value : data) {
            if (value.isArray()) {
                flatten(value, into, at);
            } else if (!value.isNumber()) {
                throw HttpProblem.badRequest("the FP32 input's data must be numbers, got " + value.getNodeType());
            } else if (at[0] < into.length) {
                into[at[0]++] = value.floatValue();
            } else {
                at[0]++;
            }
        }
    }

    private static long[] shape(JsonNode shape) {
        if (!shape.isArray() || shape.isEmpty()) {
            throw HttpProblem.badRequest("the input needs a shape");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!shape.get(i).canConvertToLong()) {
                throw HttpProblem.badRequest("shape must be whole numbers");
            }
            dims[i] = shape.get(i).asLong();
        }
        return dims;
    }

    /** The binary part of the body, handed out tensor by tensor. */
    private static final class Binary {
        private final byte[] body;
        private int next;

        Binary(byte[] body, int start) {
            this.body = body;
            this.next = start;
        }

        ByteBuffer take(long size, String what) {
            if (size < 0 || size > body.length - next) {
                throw HttpProblem.badRequest("the " + what + " input's binary_data_size is " + size + " bytes, but "
                        + (body.length - next) + " follow the JSON header");
            }
            ByteBuffer data = InferenceProtocols.littleEndian(body, next, (int) size);
            next += (int) size;
            return data;
        }

        /** Every byte after the JSON header belongs to an input: more is a malformed request. */
        void checkAllTaken() {
            if (next < body.length) {
                throw HttpProblem.badRequest((body.length - next) + " bytes follow the JSON header that no input's"
                        + " binary_data_size accounts for");
            }
        }
    }
}
