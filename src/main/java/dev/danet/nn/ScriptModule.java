package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript module compiled by libtorch from source this project writes, no Python
 * involved: the way to call a libtorch operator that DJL's NDArray API does not expose. The
 * module has no state, only methods; its archive is the smallest one libtorch's loader reads
 * (the methods' code, the pickled module object, empty constants, a format version).
 * Calling a method from several threads at once is safe, as it is for any TorchScript module.
 */
final class ScriptModule {

    private final PtSymbolBlock module;

    private ScriptModule(PtSymbolBlock module) {
        this.module = module;
    }

    /**
     * Compiles a module of class {@code className} whose body is {@code methods}: TorchScript
     * method definitions indented by two spaces, each with {@code self: __torch__.<className>}
     * as first parameter. The module lives on {@code manager}.
     */
    static ScriptModule compile(String className, String methods, NDManager manager) {
        byte[] archive = archive(className, methods);
        try {
            return new ScriptModule(JniUtils.loadModule(
                    (PtNDManager) manager, new ByteArrayInputStream(archive), false, false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a method and returns its tensor result on {@code resultManager}. Arguments may be
     * NDArrays (tensors), long[] (int lists), Long, Double or Boolean.
     */
    NDArray callTensor(String method, NDManager resultManager, Object... args) {
        try (IValue result = call(method, args)) {
            return result.toTensor((PtNDManager) resultManager);
        }
    }

    /** Runs a method that returns a bool. */
    boolean callBoolean(String method, Object... args) {
        try (IValue result = call(method, args)) {
            return result.toBoolean();
        }
    }

    private IValue call(String method, Object... args) {
        List<IValue> values = new ArrayList<>(args.length);
        try {
            for (Object arg : args) {
                values.add(toIValue(arg));
            }
            return IValueUtils.runMethod(module, method, values.toArray(IValue[]::new));
        } finally {
            values.forEach(IValue::close);
        }
    }

    private static IValue toIValue(Object arg) {
        if (arg instanceof NDArray array) {
            return IValue.from((PtNDArray) array);
        } else if (arg instanceof long[] list) {
            return IValue.listFrom(list);
        } else if (arg instanceof Long number) {
            return IValue.from(number);
        } else if (arg instanceof Double number) {
            return IValue.from(number);
        } else if (arg instanceof Boolean flag) {
            return IValue.from(flag);
        }
        throw new IllegalArgumentException("no TorchScript value for " + arg);
    }

    /** The archive torch.jit.save would write for such a module (format version 3). */
    static byte[] archive(String className, String methods) {
        String code = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  def forward(self: __torch__." + className + ", x: Tensor) -> Tensor:\n"
                + "    return x\n"
                + methods;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            String root = "module/";
            put(zip, root + "data.pkl", pickledModule(className));
            put(zip, root + "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            put(zip, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            put(zip, root + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * The module object in pickle protocol 2: an instance of __torch__.className built with no
     * arguments, its state {"training": False}.
     */
    private static byte[] pickledModule(String className) {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.write(0x80); // PROTO 2
        pickle.write(2);
        pickle.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        pickle.write(')'); // EMPTY_TUPLE
        pickle.write(0x81); // NEWOBJ
        pickle.write('}'); // EMPTY_DICT
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        pickle.write('X'); // BINUNICODE, 4-byte little-endian length
        pickle.writeBytes(new byte[] {(byte) key.length, 0, 0, 0});
        pickle.writeBytes(key);
        pickle.write(0x89); // NEWFALSE
        pickle.write('s'); // SETITEM
        pickle.write('b'); // BUILD
        pickle.write('.'); // STOP
        return pickle.toByteArray();
    }
}
