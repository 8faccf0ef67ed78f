package dev.danet.testing;

import ai.djl.nn.Parameter;
import dev.danet.nn.Network;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * torch.save files written without Python, in both formats (zip since PyTorch 1.6, and the
 * legacy stream), from a description whose storages and tensors may lie about their sizes: the
 * raw material of crafted checkpoints. A root object is a Map of String to {@link Tensor}, Map,
 * List, Number or String.
 */
public final class TorchSaveFiles {

    /** Raw storage bytes, and the element count the pickle declares for them (may disagree). */
    public record Storage(String key, String dtype, long numel, byte[] bytes) {

        public static Storage floats(String key, float... values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return new Storage(key, "float32", values.length, b.array());
        }
    }

    /** A strided view on a storage, as _rebuild_tensor_v2 receives it. */
    public record Tensor(Storage storage, long offset, long[] shape, long[] stride) {

        /** A contiguous tensor over the whole storage, or its start. */
        public static Tensor dense(Storage storage, long... shape) {
            long[] stride = new long[shape.length];
            long step = 1;
            for (int i = shape.length - 1; i >= 0; i--) {
                stride[i] = step;
                step *= Math.max(1, shape[i]);
            }
            return new Tensor(storage, 0, shape, stride);
        }

        public static Tensor floats(String key, float[] values, long... shape) {
            return dense(Storage.floats(key, values), shape);
        }
    }

    private TorchSaveFiles() {}

    /** A network's weights as a state dict of float32 tensors, one storage each, keys in order. */
    public static Map<String, Object> stateDict(Network network) {
        Map<String, Object> state = new LinkedHashMap<>();
        int key = 0;
        for (Map.Entry<String, Parameter> e : network.parameters().entrySet()) {
            float[] values = e.getValue().getArray().toFloatArray();
            state.put(e.getKey(), Tensor.floats(String.valueOf(key++), values,
                    e.getValue().getArray().getShape().getShape()));
        }
        return state;
    }

    /** The zip format: archive/data.pkl and archive/data/KEY, all stored uncompressed as torch does. */
    public static byte[] zip(Object root) {
        return zip(pickle(root, false), storages(root));
    }

    /** The zip format around a pickle given as bytes (which may be malformed). */
    public static byte[] zip(byte[] pickle, List<Storage> storages) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "archive/data.pkl", pickle);
            for (Storage s : storages) {
                stored(zip, "archive/data/" + s.key(), s.bytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The legacy stream: pickles of the magic number, protocol version and sys_info, the main
     * pickle, the storage key list, then each storage as an int64 element count and its bytes.
     */
    public static byte[] legacy(Object root) {
        List<Storage> storages = storages(root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new PickleWriter().proto()
                .bigInteger(new BigInteger("1950a86a20f9469cfc6c", 16)).stop().bytes());
        out.writeBytes(new PickleWriter().proto().integer(1001).stop().bytes());
        out.writeBytes(new PickleWriter().proto().emptyDict().mark()
                .str("protocol_version").integer(1001).str("little_endian").bool(true)
                .setItems().stop().bytes());
        out.writeBytes(pickle(root, true));
        PickleWriter keys = new PickleWriter().proto().emptyList().mark();
        for (Storage s : storages) {
            keys.str(s.key());
        }
        out.writeBytes(keys.appends().stop().bytes());
        for (Storage s : storages) {
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(s.numel()).array());
            out.writeBytes(s.bytes());
        }
        return out.toByteArray();
    }

    /** The main pickle of a root object; legacy persistent ids carry a sixth element (no view). */
    public static byte[] pickle(Object root, boolean legacy) {
        PickleWriter p = new PickleWriter().proto();
        write(p, root, legacy);
        return p.stop().bytes();
    }

    /** A pickle of n dicts nested in one another: {'a': {'a': ... {} ...}}. */
    public static byte[] nestedDicts(int depth) {
        PickleWriter p = new PickleWriter().proto();
        for (int i = 0; i < depth; i++) {
            p.emptyDict().str("a");
        }
        p.emptyDict();
        for (int i = 0; i < depth; i++) {
            p.op('s'); // SETITEM into the dict below
        }
        return p.stop().bytes();
    }

    private static void write(PickleWriter p, Object value, boolean legacy) {
        if (value instanceof Tensor t) {
            p.global("torch._utils", "_rebuild_tensor_v2").mark();
            p.mark().str("storage").global("torch", storageClass(t.storage().dtype()))
                    .str(t.storage().key()).str("cpu").integer(t.storage().numel());
            if (legacy) {
                p.none();
            }
            p.tuple().persistentId();
            p.integer(t.offset());
            longs(p, t.shape());
            longs(p, t.stride());
            p.bool(false).global("collections", "OrderedDict").emptyTuple().reduce();
            p.tuple().reduce();
        } else if (value instanceof Map<?, ?> m) {
            p.emptyDict();
            if (!m.isEmpty()) {
                p.mark();
                m.forEach((k, v) -> {
                    p.str(String.valueOf(k));
                    write(p, v, legacy);
                });
                p.setItems();
            }
        } else if (value instanceof List<?> l) {
            p.emptyList();
            if (!l.isEmpty()) {
                p.mark();
                l.forEach(v -> write(p, v, legacy));
                p.appends();
            }
        } else if (value instanceof Double || value instanceof Float) {
            p.floating(((Number) value).doubleValue());
        } else if (value instanceof Number n) {
            p.integer(n.longValue());
        } else if (value instanceof String s) {
            p.str(s);
        } else if (value == null) {
            p.none();
        } else {
            throw new IllegalArgumentException("cannot pickle " + value.getClass());
        }
    }

    private static void longs(PickleWriter p, long[] values) {
        p.mark();
        for (long v : values) {
            p.integer(v);
        }
        p.tuple();
    }

    private static String storageClass(String dtype) {
        return switch (dtype) {
            case "float32" -> "FloatStorage";
            case "float64" -> "DoubleStorage";
            case "float16" -> "HalfStorage";
            case "int64" -> "LongStorage";
            case "int32" -> "IntStorage";
            case "uint8" -> "ByteStorage";
            default -> throw new IllegalArgumentException(dtype);
        };
    }

    /** The storages a root object uses, each once, in first-use order. */
    public static List<Storage> storages(Object root) {
        Set<Storage> found = new LinkedHashSet<>();
        collect(root, found);
        return new ArrayList<>(found);
    }

    private static void collect(Object value, Set<Storage> found) {
        if (value instanceof Tensor t) {
            found.add(t.storage());
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collect(v, found));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collect(v, found));
        }
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
