package dev.danet.io.torch;

import dev.danet.io.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Unpickler;

/**
 * The Python callables a PyTorch checkpoint pickle refers to, as Pyrolite constructors: storage
 * types, the tensor and parameter rebuild functions, {@code collections.OrderedDict} and NumPy
 * scalars. Registered once, globally, with {@link Unpickler#registerConstructor}.
 */
final class PickleConstructors {

    /** torch.*Storage class name to the dtype name {@link TensorData} uses. */
    private static final Map<String, String> STORAGE_DTYPES = new LinkedHashMap<>();

    static {
        STORAGE_DTYPES.put("FloatStorage", "float32");
        STORAGE_DTYPES.put("DoubleStorage", "float64");
        STORAGE_DTYPES.put("HalfStorage", "float16");
        STORAGE_DTYPES.put("BFloat16Storage", "bfloat16");
        STORAGE_DTYPES.put("LongStorage", "int64");
        STORAGE_DTYPES.put("IntStorage", "int32");
        STORAGE_DTYPES.put("ShortStorage", "int16");
        STORAGE_DTYPES.put("CharStorage", "int8");
        STORAGE_DTYPES.put("ByteStorage", "uint8");
        STORAGE_DTYPES.put("BoolStorage", "bool");
        STORAGE_DTYPES.forEach((cls, dtype) ->
                Unpickler.registerConstructor("torch", cls, new StorageType("torch." + cls, dtype)));

        IObjectConstructor rebuildTensor = PickleConstructors::rebuildTensor;
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", rebuildTensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", rebuildTensor);
        IObjectConstructor rebuildParameter = PickleConstructors::rebuildParameter;
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", rebuildParameter);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter_with_state",
                rebuildParameter);
        Unpickler.registerConstructor("torch._tensor", "_rebuild_from_type_v2",
                PickleConstructors::rebuildFromType);
        Unpickler.registerConstructor("collections", "OrderedDict",
                PickleConstructors::orderedDict);
        Unpickler.registerConstructor("numpy.core.multiarray", "scalar",
                PickleConstructors::numpyScalar);
        Unpickler.registerConstructor("numpy._core.multiarray", "scalar",
                PickleConstructors::numpyScalar);
    }

    private PickleConstructors() {
    }

    /** Forces the registrations above; call before unpickling. */
    static void ensureRegistered() {
        // Class initialisation does the work.
    }

    /** A Python global the pickle names; when left in the data it reads as a reference. */
    interface Named {
        String qualifiedName();
    }

    /** A typed storage class such as torch.FloatStorage; it only appears in persistent ids. */
    record StorageType(String qualifiedName, String dtype) implements IObjectConstructor, Named {
        @Override
        public Object construct(Object[] args) {
            throw PthFormatException.unsupported("the pickle calls " + qualifiedName);
        }
    }

    /** A class or function this reader does not model: calling it yields a PythonObject. */
    record UnknownGlobal(String qualifiedName) implements IObjectConstructor, Named {
        @Override
        public Object construct(Object[] args) {
            return new PythonObject(qualifiedName, new ArrayList<>(Arrays.asList(args)));
        }
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, hooks, ...). */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageView view)) {
            throw PthFormatException.corrupt("_rebuild_tensor_v2 called without a storage");
        }
        long offset = toLong(args[1], "storage offset");
        long[] shape = toLongs(args[2], "size");
        long[] stride = toLongs(args[3], "stride");
        if (shape.length != stride.length) {
            throw PthFormatException.corrupt("a tensor has size " + Arrays.toString(shape)
                    + " but stride " + Arrays.toString(stride));
        }
        return new TensorRef(view, offset, shape, stride);
    }

    /** _rebuild_parameter(data, requires_grad, hooks[, state]): the parameter's tensor. */
    private static Object rebuildParameter(Object[] args) {
        if (args.length < 1 || !(args[0] instanceof TensorRef)) {
            throw PthFormatException.corrupt("_rebuild_parameter called without a tensor");
        }
        return args[0];
    }

    /** _rebuild_from_type_v2(func, type, args, state): a tensor subclass; keeps the tensor. */
    private static Object rebuildFromType(Object[] args) {
        if (args.length < 3 || !(args[0] instanceof IObjectConstructor func)
                || !(args[2] instanceof Object[] funcArgs)) {
            throw PthFormatException.corrupt("malformed _rebuild_from_type_v2 call");
        }
        return func.construct(funcArgs);
    }

    /** OrderedDict() or OrderedDict(pairs): a LinkedHashMap; later SETITEMS keep their order. */
    private static Object orderedDict(Object[] args) {
        LinkedHashMap<Object, Object> map = new LinkedHashMap<>();
        if (args.length == 0 || args[0] == null) {
            return map;
        }
        if (args[0] instanceof Map<?, ?> m) {
            map.putAll(m);
            return map;
        }
        for (Object pair : asList(args[0], "OrderedDict items")) {
            List<Object> kv = asList(pair, "OrderedDict item");
            if (kv.size() != 2) {
                throw PthFormatException.corrupt("an OrderedDict item is not a (key, value) pair");
            }
            map.put(kv.get(0), kv.get(1));
        }
        return map;
    }

    /**
     * numpy.core.multiarray.scalar(dtype, bytes): a NumPy scalar such as a metric saved as
     * np.float64. Floats become Double, integers Long, bools Boolean; others stay opaque.
     */
    private static Object numpyScalar(Object[] args) {
        PythonObject opaque = new PythonObject("numpy.core.multiarray.scalar",
                new ArrayList<>(Arrays.asList(args)));
        if (args.length != 2 || !(args[0] instanceof PythonObject dtype)
                || dtype.args() == null || dtype.args().isEmpty()
                || !(dtype.args().get(0) instanceof String code)) {
            return opaque;
        }
        byte[] raw = args[1] instanceof byte[] b ? b
                : args[1] instanceof String s ? s.getBytes(StandardCharsets.ISO_8859_1) : null;
        if (raw == null) {
            return opaque;
        }
        boolean bigEndian = dtype.state() instanceof Object[] st && st.length > 1
                && ">".equals(st[1]);
        ByteBuffer b = ByteBuffer.wrap(raw)
                .order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int need = switch (code) {
            case "f8", "i8", "u8" -> 8;
            case "f4", "i4", "u4" -> 4;
            case "f2", "i2", "u2" -> 2;
            case "i1", "u1", "b1" -> 1;
            default -> -1;
        };
        if (need < 0 || raw.length != need) {
            return opaque;
        }
        return switch (code) {
            case "f8" -> b.getDouble();
            case "f4" -> (double) b.getFloat();
            case "f2" -> (double) TensorData.halfToFloat(b.getShort());
            case "i8", "u8" -> b.getLong();
            case "i4" -> (long) b.getInt();
            case "u4" -> b.getInt() & 0xffffffffL;
            case "i2" -> (long) b.getShort();
            case "u2" -> (long) (b.getShort() & 0xffff);
            case "i1" -> (long) b.get();
            case "u1" -> (long) (b.get() & 0xff);
            default -> b.get() != 0; // b1
        };
    }

    static long toLong(Object o, String what) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        throw PthFormatException.corrupt("a tensor's " + what + " is not an integer: " + o);
    }

    private static long[] toLongs(Object o, String what) {
        List<Object> items = asList(o, "tensor " + what);
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toLong(items.get(i), what);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object o, String what) {
        if (o instanceof Object[] a) {
            return Arrays.asList(a);
        }
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw PthFormatException.corrupt(what + " is not a tuple or list");
    }
}
