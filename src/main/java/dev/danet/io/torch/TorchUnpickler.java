package dev.danet.io.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDict;

/**
 * Pyrolite's unpickler, adapted to PyTorch checkpoints (one instance per pickle):
 * <ul>
 *   <li>persistent ids {@code ('storage', type, key, location, numel[, view])} become
 *       {@link StorageView}s, and tensors become {@link TensorRef}s (see
 *       {@link PickleConstructors}); the storage bytes are read afterwards;</li>
 *   <li>dicts are LinkedHashMaps filled in pickle order. Pyrolite's own SETITEMS collects the
 *       items into a HashMap first and so scrambles OrderedDict order; DICT and EMPTY_DICT
 *       build HashMaps;</li>
 *   <li>a global Pyrolite does not know becomes a {@link PythonObject} when called, instead of
 *       failing (Pyrolite's ClassDict accepts no constructor arguments);</li>
 *   <li>BUILD on a dict (OrderedDict's {@code _metadata} attribute) drops the attributes,
 *       since Pyrolite would look for a {@code __setstate__} method on LinkedHashMap;</li>
 *   <li>a length-prefixed string, bytes or long longer than the whole pickle is rejected before
 *       Pyrolite allocates an array of that length (up to 2 GiB for a corrupt file).</li>
 * </ul>
 */
final class TorchUnpickler extends Unpickler {

    static {
        PickleConstructors.ensureRegistered();
    }

    private final Map<String, StorageRef> storages = new LinkedHashMap<>();
    private final long sizeLimit;

    /**
     * @param sizeLimit the most bytes the pickle can hold (the size of its file or entry), to
     *     reject corrupt lengths early; checked when the input supports mark/reset
     */
    TorchUnpickler(long sizeLimit) {
        this.sizeLimit = sizeLimit < 0 ? Long.MAX_VALUE : sizeLimit;
    }

    /** The storages the persistent ids named so far, by key, in first-use order. */
    Map<String, StorageRef> storages() {
        return storages;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        List<Object> id = PickleConstructors.asList(pid, "a persistent id");
        String kind = id.isEmpty() ? "" : id.get(0) instanceof String || id.get(0) instanceof byte[]
                ? text(id.get(0)) : describe(id.get(0));
        if (kind.equals("module") && id.size() > 1) {
            // Legacy torch.save(model): ('module', cls, source_file, source) stands for the
            // class itself; the zip format pickles the class as a plain global instead.
            return id.get(1);
        }
        if (!kind.equals("storage") || id.size() < 5) {
            throw PthFormatException.corrupt("unknown persistent id type '" + kind + "'");
        }
        if (!(id.get(1) instanceof PickleConstructors.StorageType type)) {
            throw PthFormatException.unsupported("storage type " + describe(id.get(1)));
        }
        String key = text(id.get(2));
        long numel = PickleConstructors.toLong(id.get(4), "storage size");
        if (numel < 0) {
            throw PthFormatException.corrupt("storage " + key + " has negative size " + numel);
        }
        StorageRef ref = storages.computeIfAbsent(key, k -> new StorageRef(k, type.dtype(), numel));
        if (!ref.dtype().equals(type.dtype()) || ref.numel() != numel) {
            throw PthFormatException.corrupt("storage " + key + " is declared both as "
                    + ref.numel() + " x " + ref.dtype() + " and " + numel + " x " + type.dtype());
        }
        if (id.size() > 5 && id.get(5) != null) {
            // Legacy storage view: (view_key, offset, size), in elements of the root storage.
            List<Object> view = PickleConstructors.asList(id.get(5), "a storage view");
            if (view.size() != 3) {
                throw PthFormatException.corrupt("malformed storage view of storage " + key);
            }
            long offset = PickleConstructors.toLong(view.get(1), "storage view offset");
            long size = PickleConstructors.toLong(view.get(2), "storage view size");
            if (offset < 0 || size < 0 || size > numel || offset > numel - size) {
                throw PthFormatException.corrupt("a view [" + offset + ", +" + size
                        + ") lies outside storage " + key + " of " + numel + " elements");
            }
            return new StorageView(ref, offset, size);
        }
        return new StorageView(ref, 0, numel);
    }

    @Override
    protected Object dispatch(short op) throws PickleException, IOException {
        switch (op) {
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.DICT -> {
                LinkedHashMap<Object, Object> map = new LinkedHashMap<>();
                putPairs(map, stack.pop_all_since_marker());
                stack.add(map);
            }
            case Opcodes.SETITEM -> {
                Object value = stack.pop();
                Object key = stack.pop();
                dictTarget().put(key, value);
            }
            case Opcodes.SETITEMS -> {
                List<Object> pairs = stack.pop_all_since_marker();
                putPairs(dictTarget(), pairs);
            }
            case Opcodes.APPEND -> {
                Object value = stack.pop();
                if (!(stack.peek() instanceof PythonObject target)) {
                    stack.add(value);
                    return super.dispatch(op);
                }
                target.listItems().add(value);
            }
            case Opcodes.APPENDS -> {
                List<Object> values = stack.pop_all_since_marker();
                Object target = stack.peek();
                if (target instanceof PythonObject p) {
                    p.listItems().addAll(values);
                } else if (target instanceof List<?>) {
                    @SuppressWarnings("unchecked")
                    List<Object> list = (List<Object>) target;
                    list.addAll(values);
                } else {
                    throw PthFormatException.corrupt("APPENDS on a " + describe(target));
                }
            }
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                Object target = stack.peek();
                if (target instanceof PythonObject p) {
                    p.setState(state);
                } else if (target instanceof ClassDict dict && state instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> attrs = (Map<String, Object>) m;
                    dict.__setstate__(new java.util.HashMap<>(attrs));
                } else if (target instanceof Map<?, ?> || target instanceof TensorRef) {
                    // Attributes of a dict subclass (OrderedDict._metadata) or of a tensor:
                    // not part of the data; dropped.
                } else {
                    stack.add(state);
                    return super.dispatch(op);
                }
            }
            case Opcodes.BINSTRING, Opcodes.BINUNICODE, Opcodes.BINBYTES, Opcodes.LONG4 -> {
                checkLength(4);
                return super.dispatch(op);
            }
            case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> {
                checkLength(8);
                return super.dispatch(op);
            }
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolveGlobal(module, name));
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(resolveGlobal(text(module), text(name)));
            }
            default -> {
                return super.dispatch(op);
            }
        }
        return NO_RETURN_VALUE;
    }

    /** Peeks at the little-endian length that the opcode just read is followed by. */
    private void checkLength(int width) throws IOException {
        if (!input.markSupported()) {
            return;
        }
        input.mark(width);
        byte[] raw = input.readNBytes(width);
        input.reset();
        if (raw.length < width) {
            return; // Pyrolite reports the premature end
        }
        long length = 0;
        for (int i = width - 1; i >= 0; i--) {
            length = (length << 8) | (raw[i] & 0xff);
        }
        if (length < 0 || length > sizeLimit) {
            throw PthFormatException.corrupt("a pickled value claims " + Long.toUnsignedString(length)
                    + " bytes, more than the " + sizeLimit + " of the whole pickle");
        }
    }

    private static IObjectConstructor resolveGlobal(String module, String name) {
        IObjectConstructor known = objectConstructors.get(module + "." + name);
        return known != null ? known : new PickleConstructors.UnknownGlobal(module + "." + name);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictTarget() {
        Object target = stack.peek();
        if (target instanceof Map<?, ?> map) {
            return (Map<Object, Object>) map;
        }
        if (target instanceof PythonObject p) {
            return p.items();
        }
        throw PthFormatException.corrupt("SETITEMS on a " + describe(target));
    }

    private static void putPairs(Map<Object, Object> map, List<Object> flat) {
        if (flat.size() % 2 != 0) {
            throw PthFormatException.corrupt("a dict has a key without a value");
        }
        for (int i = 0; i < flat.size(); i += 2) {
            map.put(flat.get(i), flat.get(i + 1));
        }
    }

    /** A str, or bytes as Python 2 pickles write internal names. */
    static String text(Object o) {
        if (o instanceof String s) {
            return s;
        }
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.US_ASCII);
        }
        throw PthFormatException.corrupt("expected a string, found " + describe(o));
    }

    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof PickleConstructors.Named n) {
            return n.qualifiedName();
        }
        return o.getClass().getSimpleName();
    }
}
