package dev.danet.io;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A file's tensor as a CPU tensor that libtorch owns, in the file's own type where the engine
 * has it: the bytes go straight into the tensor's memory. {@code manager.create(float[])} would
 * instead make a float array, then a direct ByteBuffer that the tensor borrows and that lives
 * until the garbage collector frees it: two more copies per tensor. The caller closes the
 * result (or its manager) as soon as it has used it, which gives the memory back at once.
 */
final class NativeStaging {

    private static final boolean LITTLE_ENDIAN_HOST = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private NativeStaging() {}

    /** The tensor's values on the CPU, attached to manager, in its stored type (else float32). */
    static NDArray stage(TensorData t, NDManager manager) {
        Shape shape = new Shape(t.shape());
        DataType stored = LITTLE_ENDIAN_HOST ? engineType(t.dtype()) : null;
        NDArray staged = manager.create(shape, stored != null ? stored : DataType.FLOAT32, Device.cpu());
        if (t.numel() == 0) {
            return staged;
        }
        ByteBuffer memory = staged.toByteBuffer(true).order(ByteOrder.nativeOrder());
        long bytes = t.numel() * staged.getDataType().getNumOfBytes();
        if (!memory.isDirect() || memory.capacity() != bytes) {
            staged.close();
            throw new IllegalStateException("the engine gave no view of a new tensor's memory");
        }
        if (stored != null) {
            memory.put(t.data());
        } else {
            memory.asFloatBuffer().put(t.toFloats());
        }
        return staged;
    }

    /**
     * The engine's type for a PyTorch dtype with the same bytes, or null where it has none
     * (bfloat16 among them: DJL 0.35's PyTorch engine aborts the process creating one).
     */
    private static DataType engineType(String dtype) {
        return switch (dtype) {
            case "float32" -> DataType.FLOAT32;
            case "float64" -> DataType.FLOAT64;
            case "float16" -> DataType.FLOAT16;
            case "int64" -> DataType.INT64;
            case "int32" -> DataType.INT32;
            case "int8" -> DataType.INT8;
            case "uint8" -> DataType.UINT8;
            default -> null;
        };
    }
}
