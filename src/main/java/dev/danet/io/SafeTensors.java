package dev.danet.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.DanetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the safetensors format: an 8-byte little-endian header length, a JSON header giving each
 * tensor's dtype, shape and byte range, then the data. Every length, shape and offset is checked
 * against the bytes the container says are there before anything of that size is allocated, so a
 * corrupt or hostile file costs no more memory than its own size.
 */
final class SafeTensors {

    /** The format's own bound on the header (the reference implementation refuses larger ones). */
    static final long MAX_HEADER_BYTES = 100L << 20;
    /** Java arrays hold at most this many bytes. */
    static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor as the header describes it: its bytes are data[begin, end). */
    private record Entry(String name, String dtype, long[] shape, long begin, long end) {}

    private SafeTensors() {}

    /**
     * The tensors of a safetensors stream of the given size, in the order of their data.
     *
     * @param in the stream, positioned at its start
     * @param size the stream's length in bytes as its container records it
     * @param source names the stream in messages, e.g. "model.danet (weights.safetensors)"
     * @throws DanetException naming the source and what is wrong, for any malformed stream
     */
    static Map<String, TensorData> read(InputStream in, long size, String source) throws IOException {
        if (size < 8) {
            throw corrupt(source, size + " bytes are too few for a safetensors header");
        }
        long headerLength = ByteBuffer.wrap(readExactly(in, 8, source)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        long available = size - 8;
        if (headerLength < 2 || headerLength > available || headerLength > MAX_HEADER_BYTES) {
            throw corrupt(source, "its header claims " + Long.toUnsignedString(headerLength)
                    + " bytes, but " + available + " follow"
                    + (headerLength > MAX_HEADER_BYTES ? " (and the format allows at most 100 MB)" : ""));
        }
        List<Entry> entries = entries(readExactly(in, (int) headerLength, source), available - headerLength,
                source);
        long dataLength = entries.stream().mapToLong(Entry::end).max().orElse(0);
        if (dataLength > MAX_DATA_BYTES) {
            throw new DanetException(source + ": " + dataLength + " bytes of tensors; at most 2 GB are supported");
        }
        byte[] data = readExactly(in, (int) dataLength, source);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            ByteBuffer bytes = ByteBuffer.wrap(data, (int) e.begin(), (int) (e.end() - e.begin()));
            tensors.put(e.name(), new TensorData(e.name(), e.dtype(), e.shape(), bytes));
        }
        return tensors;
    }

    /** The header's tensors, each checked against the dataLength bytes that follow it. */
    private static List<Entry> entries(byte[] header, long dataLength, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(new String(header, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw corrupt(source, "its header is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw corrupt(source, "its header is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().equals("__metadata__")) {
                entries.add(entry(field.getKey(), field.getValue(), dataLength, source));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        return entries;
    }

    private static Entry entry(String name, JsonNode node, long dataLength, String source) {
        String dtype = dtype(node.path("dtype").asText(""));
        JsonNode shapeNode = node.path("shape");
        JsonNode offsets = node.path("data_offsets");
        if (dtype == null || !shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).canConvertToExactIntegral() || !offsets.get(1).canConvertToExactIntegral()) {
            throw corrupt(source, "tensor '" + name + "' is described as " + abbreviate(node.toString())
                    + "; expected a known dtype, a shape and two data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = shapeNode.get(i);
            if (!dim.canConvertToExactIntegral() || !dim.canConvertToLong() || dim.asLong() < 0) {
                throw corrupt(source, "tensor '" + name + "' has shape " + abbreviate(shapeNode.toString()));
            }
            shape[i] = dim.asLong();
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (!offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()
                || begin < 0 || end < begin || end > dataLength) {
            throw corrupt(source, "tensor '" + name + "' lies at bytes " + offsets + " of the "
                    + dataLength + " that follow the header");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(TensorData.numel(shape), TensorData.elementSize(dtype));
        } catch (ArithmeticException e) {
            bytes = -1;
        }
        if (bytes != end - begin) {
            throw corrupt(source, "tensor '" + name + "' of " + dtype + " " + shapeNode + " needs "
                    + (bytes < 0 ? "more bytes than any file holds" : bytes + " bytes") + ", but its offsets "
                    + offsets + " span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** A safetensors dtype as TensorData names it, or null for an unknown one. */
    private static String dtype(String code) {
        return switch (code) {
            case "F64" -> "float64";
            case "F32" -> "float32";
            case "F16" -> "float16";
            case "BF16" -> "bfloat16";
            case "I64" -> "int64";
            case "I32" -> "int32";
            case "I16" -> "int16";
            case "I8" -> "int8";
            case "U8" -> "uint8";
            case "BOOL" -> "bool";
            default -> null;
        };
    }

    private static byte[] readExactly(InputStream in, int length, String source) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw corrupt(source, "it ends after " + bytes.length + " of " + length + " expected bytes (truncated)");
        }
        return bytes;
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    private static DanetException corrupt(String source, String what) {
        return new DanetException(source + ": corrupt weights: " + what);
    }
}
