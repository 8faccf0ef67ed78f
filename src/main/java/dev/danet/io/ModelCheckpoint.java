package dev.danet.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
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
            JsonNode header = JSON.readTree(zip.getInputStream(entry));
            if (!FORMAT.equals(header.path("format").asText()) || header.path("version").asInt() > VERSION) {
                throw new DanetException(file + ": unsupported checkpoint format "
                        + header.path("format").asText() + " version " + header.path("version").asText()
                        + " (this build reads " + FORMAT + " up to version " + VERSION + ")");
            }
            ModelConfig config;
            try {
                config = JSON.treeToValue(header.get("config"), ModelConfig.class);
            } catch (IOException | IllegalArgumentException e) {
                throw new DanetException(file + ": invalid model configuration: " + e.getMessage(), e);
            }
            ModelCard card;
            try {
                card = header.has("card") ? JSON.treeToValue(header.get("card"), ModelCard.class)
                        : cardOf(header.path("metadata"));
            } catch (IOException | IllegalArgumentException e) {
                throw new DanetException(file + ": invalid model card: " + e.getMessage(), e);
            }
            return new Header(config, card, header.path("metadata"));
        } catch (IOException e) {
            throw new DanetException(file + ": corrupt checkpoint: " + e.getMessage(), e);
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
        try (ZipFile zip = open(file)) {
            ZipEntry entry = zip.getEntry(STATE_ENTRY);
            Map<String, NDArray> state = new LinkedHashMap<>();
            if (entry != null) {
                try (InputStream in = zip.getInputStream(entry)) {
                    for (NDArray array : NDList.decode(manager, in)) {
                        state.put(array.getName(), array);
                    }
                }
            }
            return state;
        } catch (IOException | RuntimeException e) {
            if (e instanceof DanetException d) {
                throw d;
            }
            throw new DanetException(file + ": corrupt training state: " + e.getMessage(), e);
        }
    }

    /** The weights as a state dict keyed by PyTorch names. */
    public static Map<String, TensorData> readWeights(Path file) {
        try (ZipFile zip = open(file); NDManager manager = NDManager.newBaseManager()) {
            ZipEntry entry = zip.getEntry(WEIGHTS_ENTRY);
            if (entry == null) {
                throw new DanetException(file + ": corrupt checkpoint (no " + WEIGHTS_ENTRY + ")");
            }
            NDList arrays;
            try (InputStream in = zip.getInputStream(entry)) {
                arrays = NDList.decode(manager, in);
            }
            Map<String, TensorData> state = new LinkedHashMap<>();
            for (NDArray array : arrays) {
                float[] values = array.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(values);
                state.put(array.getName(), new TensorData(array.getName(), "float32",
                        array.getShape().getShape(), bytes));
            }
            return state;
        } catch (IOException | RuntimeException e) {
            if (e instanceof DanetException d) {
                throw d;
            }
            throw new DanetException(file + ": corrupt checkpoint weights: " + e.getMessage(), e);
        }
    }

    private static ZipFile open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new DanetException(file + ": no such file");
        }
        try {
            return new ZipFile(file.toFile());
        } catch (java.util.zip.ZipException e) {
            throw new DanetException(file + ": not a danet checkpoint (not a zip file)");
        } catch (NoSuchFileException e) {
            throw new DanetException(file + ": no such file");
        }
    }
}
