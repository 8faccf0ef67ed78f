package dev.danet.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.AtomicFiles;
import dev.danet.DanetException;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The project's own checkpoint: a zip holding checkpoint.json (format version, the model
 * configuration, free-form metadata) and weights.safetensors (the weights under their
 * PyTorch state_dict names, so any safetensors reader, PyTorch included, can use them).
 * A checkpoint loads back without flags; writes are atomic.
 */
public final class ModelCheckpoint {

    public static final String FORMAT = "danet-java-checkpoint";
    public static final int VERSION = 1;
    static final String META_ENTRY = "checkpoint.json";
    static final String WEIGHTS_ENTRY = "weights.safetensors";
    static final String STATE_ENTRY = "training-state.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** checkpoint.json holds a few kilobytes; more is not a header this format writes. */
    private static final long MAX_HEADER_BYTES = 16L << 20;

    /** What a checkpoint holds besides the weights. */
    public record Header(ModelConfig config, ModelCard card, JsonNode metadata) {}

    private ModelCheckpoint() {}

    /** Whether the file is a zip with this format's header entry. */
    public static boolean isCheckpoint(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(META_ENTRY) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether the file is meant as one of this format's checkpoints: it is one, or it starts as
     * one (its first entry is the header, as {@link #save} writes it) though it was cut short and
     * no longer opens as a zip, which {@link #readHeader} then reports as a truncated .danet.
     */
    public static boolean claimsToBeCheckpoint(Path file) {
        return isCheckpoint(file) || startsWithHeaderEntry(file);
    }

    /** Whether the first local zip entry of the file is named checkpoint.json. */
    private static boolean startsWithHeaderEntry(Path file) {
        byte[] name = META_ENTRY.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(30 + name.length);
        } catch (IOException e) {
            return false;
        }
        // Local file header: signature PK\3\4, name length at 26, the name from 30.
        ByteBuffer b = ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return head.length == 30 + name.length && b.getInt(0) == 0x04034b50
                && Short.toUnsignedInt(b.getShort(26)) == name.length
                && java.util.Arrays.equals(head, 30, head.length, name, 0, name.length);
    }

    public static void save(Path file, Network network, Map<String, ?> metadata) {
        save(file, network, metadata, Map.of());
    }

    /**
     * Saves weights, configuration and metadata, plus optional named tensors of training
     * state (e.g. optimizer momentum) that {@link #readState} gives back.
     */
    public static void save(Path file, Network network, Map<String, ?> metadata, Map<String, NDArray> state) {
        save(file, network, cardOf(metadata), metadata, state);
    }

    /** Saves as {@link #save(Path, Network, Map, Map)}, with the model card given. */
    public static void save(Path file, Network network, ModelCard card, Map<String, ?> metadata,
            Map<String, NDArray> state) {
        ObjectNode header = JSON.createObjectNode();
        header.put("format", FORMAT);
        header.put("version", VERSION);
        header.set("config", JSON.valueToTree(network.config()));
        header.set("card", JSON.valueToTree(card));
        header.set("metadata", JSON.valueToTree(metadata == null ? Map.of() : metadata));
        NDList weights = new NDList();
        for (Map.Entry<String, Parameter> e : network.parameters().entrySet()) {
            NDArray array = e.getValue().getArray();
            array.setName(e.getKey());
            weights.add(array);
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry(META_ENTRY));
            zip.write(JSON.writeValueAsBytes(header));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(WEIGHTS_ENTRY));
            weights.encode(zip, NDList.Encoding.SAFETENSORS);
            zip.closeEntry();
            if (!state.isEmpty()) {
                NDList tensors = new NDList();
                state.forEach((name, array) -> {
                    array.setName(name);
                    tensors.add(array);
                });
                zip.putNextEntry(new ZipEntry(STATE_ENTRY));
                tensors.encode(zip, NDList.Encoding.SAFETENSORS);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    public static Header readHeader(Path file) {
        try (ZipFile zip = open(file)) {
            ZipEntry entry = zip.getEntry(META_ENTRY);
            if (entry == null) {
                throw new DanetException(file + ": not a danet checkpoint (no " + META_ENTRY + ")");
            }
            long size = checkedSize(file, entry, MAX_HEADER_BYTES);
            JsonNode header;
            try (InputStream in = zip.getInputStream(entry)) {
                header = JSON.readTree(in.readNBytes((int) size));
            } catch (JsonProcessingException e) {
                throw new DanetException(file + ": corrupt checkpoint: " + META_ENTRY + " is not JSON ("
                        + e.getOriginalMessage() + ")");
            }
            if (header == null || !header.isObject()) {
                throw new DanetException(file + ": corrupt checkpoint: " + META_ENTRY + " is not a JSON object");
            }
            if (!FORMAT.equals(header.path("format").asText()) || header.path("version").asInt() > VERSION) {
                throw new DanetException(file + ": unsupported checkpoint format "
                        + header.path("format").asText() + " version " + header.path("version").asText()
                        + " (this build reads " + FORMAT + " up to version " + VERSION + ")");
            }
            ModelConfig config = section(file, header, "config", ModelConfig.class, "model configuration");
            if (config == null) {
                throw new DanetException(file + ": corrupt checkpoint: no model configuration (\"config\" is "
                        + (header.has("config") ? "null" : "missing") + " in " + META_ENTRY + ")");
            }
            ModelCard card = section(file, header, "card", ModelCard.class, "model card");
            return new Header(config, card != null ? card : cardOf(header.path("metadata")), header.path("metadata"));
        } catch (IOException e) {
            throw new DanetException(file + ": corrupt checkpoint: " + reason(e), e);
        }
    }

    /** A part of the header as its type, or null where it is missing or null. */
    private static <T> T section(Path file, JsonNode header, String field, Class<T> type, String what) {
        JsonNode node = header.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String detail = cause instanceof JsonProcessingException j ? j.getOriginalMessage() : cause.getMessage();
            throw new DanetException(file + ": invalid " + what + ": " + detail, e);
        } catch (IllegalArgumentException e) {
            throw new DanetException(file + ": invalid " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * The class names saved with a model (training writes them under metadata "classes"); empty
     * for a file that is not a danet checkpoint or has none.
     */
    public static java.util.List<String> classNames(Path file) {
        return isCheckpoint(file) ? readHeader(file).card().classNames() : java.util.List.of();
    }

    /** The card of a checkpoint written before cards existed: class names from the metadata. */
    private static ModelCard cardOf(Object metadata) {
        JsonNode node = metadata instanceof JsonNode n ? n : JSON.valueToTree(metadata == null ? Map.of() : metadata);
        java.util.List<String> names = new java.util.ArrayList<>();
        for (JsonNode name : node.path("classes")) {
            names.add(name.asText());
        }
        return ModelCard.defaults().withClasses(names, new int[0]);
    }

    /** The training-state tensors saved with the checkpoint (empty when there are none), on the manager. */
    public static Map<String, NDArray> readState(Path file, NDManager manager) {
        Map<String, NDArray> state = new LinkedHashMap<>();
        readTensors(file, STATE_ENTRY, false, "training state").forEach((name, t) -> {
            NDArray array = manager.create(t.data(), new Shape(t.shape()), dataType(t.dtype()));
            array.setName(name);
            state.put(name, array);
        });
        return state;
    }

    /** The weights as a state dict keyed by PyTorch names, in the types they were saved in. */
    public static Map<String, TensorData> readWeights(Path file) {
        return readTensors(file, WEIGHTS_ENTRY, true, "weights");
    }

    /** The tensors of one safetensors entry; an absent entry is empty unless it is required. */
    private static Map<String, TensorData> readTensors(Path file, String name, boolean required, String what) {
        try (ZipFile zip = open(file)) {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                if (required) {
                    throw new DanetException(file + ": corrupt checkpoint (no " + name + ")");
                }
                return Map.of();
            }
            long size = checkedSize(file, entry, SafeTensors.MAX_HEADER_BYTES + SafeTensors.MAX_DATA_BYTES);
            try (InputStream in = zip.getInputStream(entry)) {
                return SafeTensors.read(in, size, file + " (" + name + ")");
            }
        } catch (IOException e) {
            throw new DanetException(file + ": corrupt checkpoint " + what + ": " + reason(e), e);
        }
    }

    /**
     * The entry's uncompressed size, refused when it exceeds the bound or inflates implausibly:
     * what a weights file compresses to is never a hundredth of its size, and reading a claimed
     * gigabyte would cost that much memory before anything could be checked.
     */
    private static long checkedSize(Path file, ZipEntry entry, long bound) throws IOException {
        ZipEntrySize size = ZipEntrySize.of(entry, Files.size(file));
        if (!size.plausible() || size.size() > bound) {
            throw new DanetException(file + ": corrupt checkpoint: " + entry.getName() + " " + size.describe()
                    + (size.size() > bound ? " (at most " + bound + " bytes are supported)" : ""));
        }
        return size.size();
    }

    /** DJL's name for each dtype SafeTensors reads. */
    private static DataType dataType(String dtype) {
        return switch (dtype) {
            case "float32" -> DataType.FLOAT32;
            case "float64" -> DataType.FLOAT64;
            case "float16" -> DataType.FLOAT16;
            case "bfloat16" -> DataType.BFLOAT16;
            case "int64" -> DataType.INT64;
            case "int32" -> DataType.INT32;
            case "int16" -> DataType.INT16;
            case "int8" -> DataType.INT8;
            case "uint8" -> DataType.UINT8;
            case "bool" -> DataType.BOOLEAN;
            default -> throw new IllegalStateException("SafeTensors read an unknown dtype " + dtype);
        };
    }

    /** An I/O failure's reason; some (a zip's EOF) carry no message. */
    private static String reason(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static ZipFile open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new DanetException(file + ": no such file");
        }
        try {
            return new ZipFile(file.toFile());
        } catch (java.util.zip.ZipException e) {
            if (startsWithHeaderEntry(file)) {
                throw new DanetException(file + ": a truncated .danet checkpoint (it starts as one, but its zip"
                        + " directory is missing: the file was cut short; copy or save it again)");
            }
            throw new DanetException(file + ": not a danet checkpoint (not a zip file)");
        } catch (NoSuchFileException e) {
            throw new DanetException(file + ": no such file");
        }
    }
}
