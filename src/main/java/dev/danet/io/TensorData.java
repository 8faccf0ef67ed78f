package dev.danet.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor read from a file: its stored type, shape and a dense, row-major, little-endian
 * copy of its elements in that type. It lives in host memory, independent of any NDManager,
 * and converts to Java arrays on demand.
 *
 * @param name the key it was stored under
 * @param dtype the stored type as PyTorch names it: float32, float64, float16, bfloat16,
 *     int64, int32, int16, int8, uint8 or bool
 * @param shape the dimensions, outermost first (empty for a scalar)
 * @param data numel * elementSize(dtype) bytes, little-endian: the buffer's remaining bytes
 *     (the record keeps its own view of them, from position 0)
 */
public record TensorData(String name, String dtype, long[] shape, ByteBuffer data) {

    public TensorData {
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        long expected = Math.multiplyExact(numel(shape), elementSize(dtype));
        if (data.remaining() != expected) {
            throw new IllegalArgumentException(name + ": " + data.remaining()
                    + " bytes for " + dtype + Arrays.toString(shape) + ", expected " + expected);
        }
    }

    /**
     * The elements, little-endian, from position 0; a fresh view each call, so reading it does
     * not move anyone else's position (the bytes themselves are shared).
     */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The element count of a shape.
     *
     * @throws IllegalArgumentException for a negative dimension
     * @throws ArithmeticException when the count exceeds a long
     */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long numel() {
        return numel(shape);
    }

    /** Bytes per element of a PyTorch dtype name. */
    public static int elementSize(String dtype) {
        return switch (dtype) {
            case "float64", "int64" -> 8;
            case "float32", "int32" -> 4;
            case "float16", "bfloat16", "int16" -> 2;
            case "int8", "uint8", "bool" -> 1;
            default -> throw new IllegalArgumentException("unsupported tensor type " + dtype);
        };
    }

    public boolean isFloatingPoint() {
        return dtype.startsWith("float") || dtype.equals("bfloat16");
    }

    /** The elements converted to float32 (exact for float16/bfloat16, rounded for float64). */
    public float[] toFloats() {
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case "float32" -> b.getFloat();
                case "float64" -> (float) b.getDouble();
                case "float16" -> halfToFloat(b.getShort());
                case "bfloat16" -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                default -> (float) readInteger(b);
            };
        }
        return out;
    }

    /** The elements converted to float64 (exact for every floating-point type). */
    public double[] toDoubles() {
        if (!dtype.equals("float64")) {
            float[] f = toFloats();
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }
        double[] out = new double[Math.toIntExact(numel())];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }

    /**
     * Converts IEEE 754 half-precision bits to the float of the same value (exact: every half
     * is a float). Handles signed zeros, subnormals, infinities and NaN (payload kept).
     */
    public static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) { // infinity (mantissa 0) or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) { // zero or subnormal: mantissa * 2^-24, exact in float
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Normal: rebias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** The elements as long (floating-point values are truncated). */
    public long[] toLongs() {
        int n = Math.toIntExact(numel());
        long[] out = new long[n];
        if (isFloatingPoint()) {
            float[] f = toFloats();
            for (int i = 0; i < n; i++) {
                out[i] = (long) f[i];
            }
            return out;
        }
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            out[i] = readInteger(b);
        }
        return out;
    }

    private long readInteger(ByteBuffer b) {
        return switch (dtype) {
            case "int64" -> b.getLong();
            case "int32" -> b.getInt();
            case "int16" -> b.getShort();
            case "int8" -> b.get();
            case "uint8", "bool" -> b.get() & 0xff;
            default -> throw new IllegalStateException("not an integer type: " + dtype);
        };
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
