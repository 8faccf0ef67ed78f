package dev.danet.io.torch;

import dev.danet.DanetException;
import dev.danet.io.TensorData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.PickleException;

/**
 * Reads PyTorch checkpoints ({@code torch.save} files, .pth/.pt) in pure Java: the zip format
 * of PyTorch 1.6 and later, and the legacy format before it.
 *
 * <p>Tensors come back as {@link TensorData}: dense row-major copies whatever the saved
 * tensor's offset, strides or storage sharing, on the CPU wherever they were saved. A tensor
 * that is exactly one whole storage shares that storage's bytes; the same pickled tensor seen
 * under several keys is one object. Dicts (OrderedDict included) come back as
 * {@link LinkedHashMap} in file order; tuples and lists as {@link List}; Python numbers as
 * Integer, Long, BigInteger or Double, NumPy scalars as Double, Long or Boolean; other Python
 * objects as {@link PythonObject}. Attributes of dict subclasses (the {@code _metadata} of a
 * module's state dict) are not kept.
 *
 * <p>Every failure is a {@link DanetException} whose one-line message names the file.
 * Peak memory is about the tensors' total size plus the largest storage.
 */
public final class PthReader {

    /** Keys under which training scripts commonly wrap the state dict, in order of preference. */
    private static final List<String> WRAPPER_KEYS = List.of("state_dict", "model_state_dict", "model");
    private static final int HEAD_BYTES = 512;

    private PthReader() {
    }

    /**
     * Unpickles a whole checkpoint.
     *
     * @return the saved object (typically a LinkedHashMap), with tensors as TensorData named by
     *     their path from the root (dict keys and list indices joined by '/')
     * @throws DanetException if the file is missing, unreadable, not a checkpoint, truncated
     *     or corrupt, or uses a feature this reader does not support
     */
    public static Object readObject(Path file) {
        byte[] head = readHead(file);
        try {
            if (ZipCheckpoint.looksLikeZip(head)) {
                return ZipCheckpoint.read(file);
            }
            if (LegacyCheckpoint.looksLegacy(head)) {
                return LegacyCheckpoint.read(file);
            }
            throw PthFormatException.notACheckpoint(describeHead(head));
        } catch (PthFormatException e) {
            throw fail(file, e);
        } catch (IOException e) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw withCause(corrupt(file, detail), e);
        } catch (PickleException e) {
            throw withCause(corrupt(file, "malformed pickle: " + e.getMessage()), e);
        } catch (OutOfMemoryError e) {
            throw error(file, "not enough memory to load it (" + sizeInMegabytes(file)
                    + " MB on disk); give the JVM more heap with -Xmx");
        } catch (StackOverflowError e) {
            throw corrupt(file, "objects nested too deeply");
        } catch (DanetException e) {
            throw e;
        } catch (RuntimeException e) {
            throw withCause(corrupt(file, "malformed pickle: " + e.getClass().getSimpleName()), e);
        }
    }

    /**
     * Reads the state dict of a checkpoint: the dict of tensors under {@code state_dict},
     * {@code model_state_dict} or {@code model} (as in {@code {'epoch': ..., 'state_dict': ...,
     * 'best_pred': tensor}}), otherwise the top-level dict if it holds tensors. Entries that are
     * not tensors are skipped.
     *
     * @return the tensors by key, in file order; each TensorData is named by its key
     * @throws DanetException as {@link #readObject}, or if no state dict is found (the message
     *     lists the top-level keys)
     */
    public static LinkedHashMap<String, TensorData> readStateDict(Path file) {
        return tensors(findStateDict(file, readObject(file)));
    }

    /**
     * A checkpoint's state dict (as {@link #readStateDict}) and, when the state dict is wrapped,
     * the wrapper's {@code meta} dict (mmsegmentation keeps class names, palette and the training
     * config there); the meta is empty when absent or not a dict.
     */
    public static PthCheckpoint readCheckpoint(Path file) {
        Object root = readObject(file);
        Map<?, ?> stateDict = findStateDict(file, root);
        Map<?, ?> meta = root != stateDict && root instanceof Map<?, ?> top && top.get("meta") instanceof Map<?, ?> m
                ? m : Map.of();
        return new PthCheckpoint(tensors(stateDict), meta);
    }

    private static LinkedHashMap<String, TensorData> tensors(Map<?, ?> stateDict) {
        LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
        stateDict.forEach((k, v) -> {
            if (v instanceof TensorData t) {
                String key = String.valueOf(k);
                tensors.put(key, key.equals(t.name()) ? t
                        : new TensorData(key, t.dtype(), t.shape(), t.data()));
            }
        });
        return tensors;
    }

    private static Map<?, ?> findStateDict(Path file, Object root) {
        if (!(root instanceof Map<?, ?> top)) {
            String hint = root instanceof PythonObject
                    ? "; if it is a whole pickled model, save model.state_dict() instead" : "";
            throw noStateDict(file, "the file holds a " + describe(root) + ", not a dict" + hint);
        }
        // A wrapper first: training scripts save {'state_dict': ..., 'best_pred': tensor, ...},
        // whose top level holds a tensor but is not the state dict. A state dict's own values are
        // tensors, never a dict of tensors, so the two cannot be confused this way round.
        for (String key : WRAPPER_KEYS) {
            if (top.get(key) instanceof Map<?, ?> inner && holdsTensors(inner)) {
                return inner;
            }
        }
        if (holdsTensors(top)) {
            return top;
        }
        List<String> keys = new ArrayList<>();
        for (Object k : top.keySet()) {
            if (keys.size() == 20) {
                keys.add("...");
                break;
            }
            keys.add(k + " (" + describe(top.get(k)) + ")");
        }
        throw noStateDict(file, "top-level keys: " + (keys.isEmpty() ? "none" : keys)
                + "; expected tensors, or a dict of tensors under 'state_dict', "
                + "'model_state_dict' or 'model'");
    }

    private static boolean holdsTensors(Map<?, ?> map) {
        return map.values().stream().anyMatch(v -> v instanceof TensorData);
    }

    /** A short, Python-flavoured description of a value, for error messages. */
    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof TensorData t) {
            return "tensor " + t.dtype() + t.shapeString();
        }
        if (o instanceof Map<?, ?> m) {
            return "dict of " + m.size();
        }
        if (o instanceof List<?> l) {
            return "list of " + l.size();
        }
        if (o instanceof PythonObject p) {
            return p.type() + (p.args() == null ? "" : " object");
        }
        if (o instanceof String) {
            return "str";
        }
        if (o instanceof Double) {
            return "float";
        }
        if (o instanceof Number) {
            return "int";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        return o.getClass().getSimpleName();
    }

    /** The first bytes of the file, after checking that it exists and can be read. */
    private static byte[] readHead(Path file) {
        if (!Files.exists(file)) {
            throw error(file, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw error(file, "it is a directory, not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(HEAD_BYTES);
        } catch (AccessDeniedException e) {
            throw error(file, "permission denied");
        } catch (IOException e) {
            throw error(file, "cannot read the file (" + e.getMessage() + ")");
        }
    }

    private static String describeHead(byte[] head) {
        if (head.length == 0) {
            return "the file is empty";
        }
        if (head.length > 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII)
                .equals("ustar")) {
            return "a tar archive; the tar format of PyTorch < 0.4 is not supported";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, head.length); i++) {
            hex.append(String.format(" %02x", head[i] & 0xff));
        }
        return "expected a zip archive holding data.pkl or a legacy torch.save stream,"
                + " but it starts with" + hex;
    }

    private static DanetException fail(Path file, PthFormatException e) {
        return switch (e.kind) {
            case NOT_A_CHECKPOINT -> error(file, "not a PyTorch checkpoint (" + e.getMessage() + ")");
            case CORRUPT -> corrupt(file, e.getMessage());
            case UNSUPPORTED -> error(file, "unsupported checkpoint (" + e.getMessage() + ")");
        };
    }

    private static long sizeInMegabytes(Path file) {
        try {
            return Files.size(file) >> 20;
        } catch (IOException e) {
            return -1;
        }
    }

    private static DanetException withCause(DanetException e, Throwable cause) {
        return new DanetException(e.getMessage(), cause);
    }

    private static DanetException corrupt(Path file, String detail) {
        return error(file, "the file is truncated or corrupt (" + detail + ")");
    }

    private static DanetException noStateDict(Path file, String detail) {
        return error(file, "no state dict found; " + detail);
    }

    private static DanetException error(Path file, String what) {
        String line = ("Cannot load PyTorch checkpoint " + file + ": " + what).replaceAll("\\s+", " ");
        return new DanetException(line);
    }
}
