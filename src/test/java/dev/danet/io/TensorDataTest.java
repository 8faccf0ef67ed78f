package dev.danet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TensorDataTest {

    /** The value of half-precision bits, computed independently in double arithmetic. */
    private static double halfReference(int h) {
        double sign = (h & 0x8000) != 0 ? -1 : 1;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return mantissa == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (exponent == 0) {
            return sign * mantissa * Math.pow(2, -24);
        }
        return sign * (1024 + mantissa) * Math.pow(2, exponent - 25);
    }

    @Test
    void halfToFloatIsExactForAllBitPatterns() {
        for (int h = 0; h <= 0xffff; h++) {
            float got = TensorData.halfToFloat((short) h);
            double want = halfReference(h);
            if (Double.isNaN(want)) {
                assertTrue(Float.isNaN(got), Integer.toHexString(h));
                // Sign and payload are kept: the 10 mantissa bits move to the top of 23.
                int expectedBits = ((h & 0x8000) << 16) | 0x7f800000 | ((h & 0x3ff) << 13);
                assertEquals(expectedBits, Float.floatToRawIntBits(got), Integer.toHexString(h));
            } else {
                assertEquals(0, Double.compare(want, got), Integer.toHexString(h)); // -0.0 too
            }
        }
    }

    @Test
    void halfToFloatKnownValues() {
        assertEquals(1.0f, TensorData.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, TensorData.halfToFloat((short) 0xc000));
        assertEquals(65504.0f, TensorData.halfToFloat((short) 0x7bff)); // largest normal
        assertEquals(0x1p-14f, TensorData.halfToFloat((short) 0x0400)); // smallest normal
        assertEquals(0x1p-24f, TensorData.halfToFloat((short) 0x0001)); // smallest subnormal
        assertEquals(1023 * 0x1p-24f, TensorData.halfToFloat((short) 0x03ff)); // largest subnormal
        assertEquals(0.333251953125f, TensorData.halfToFloat((short) 0x3555));
        assertEquals(0x80000000, Float.floatToRawIntBits(TensorData.halfToFloat((short) 0x8000)));
        assertEquals(0, Float.floatToRawIntBits(TensorData.halfToFloat((short) 0)));
        assertEquals(Float.POSITIVE_INFINITY, TensorData.halfToFloat((short) 0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, TensorData.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(TensorData.halfToFloat((short) 0x7e00)));
        assertTrue(Float.isNaN(TensorData.halfToFloat((short) 0x7c01)));
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void toFloatsDecodesEveryFloatingType() {
        ByteBuffer half = le(6).putShort((short) 0x3c00).putShort((short) 0x0001)
                .putShort((short) 0xfc00).flip();
        assertArrayEquals(new float[] {1f, 0x1p-24f, Float.NEGATIVE_INFINITY},
                new TensorData("h", "float16", new long[] {3}, half).toFloats());
        ByteBuffer bf16 = le(4).putShort((short) 0x3f80).putShort((short) 0xc049).flip();
        assertArrayEquals(new float[] {1f, -3.140625f},
                new TensorData("b", "bfloat16", new long[] {2}, bf16).toFloats());
        ByteBuffer f64 = le(16).putDouble(0.1).putDouble(-2).flip();
        assertArrayEquals(new float[] {0.1f, -2f},
                new TensorData("d", "float64", new long[] {2, 1}, f64).toFloats());
    }

    @Test
    void toLongsReadsSignedAndUnsignedIntegerTypes() {
        ByteBuffer u8 = le(3).put((byte) 255).put((byte) 0).put((byte) 128).flip();
        assertArrayEquals(new long[] {255, 0, 128},
                new TensorData("u", "uint8", new long[] {3}, u8).toLongs());
        ByteBuffer i8 = le(2).put((byte) -1).put((byte) 127).flip();
        assertArrayEquals(new long[] {-1, 127},
                new TensorData("i", "int8", new long[] {2}, i8).toLongs());
        ByteBuffer i64 = le(8).putLong(-(1L << 62) - 3).flip();
        assertArrayEquals(new long[] {-(1L << 62) - 3},
                new TensorData("n", "int64", new long[0], i64).toLongs());
        ByteBuffer bool = le(2).put((byte) 1).put((byte) 0).flip();
        assertArrayEquals(new long[] {1, 0},
                new TensorData("m", "bool", new long[] {2}, bool).toLongs());
    }

    @Test
    void constructorRejectsAByteCountThatDoesNotMatchTheShape() {
        assertThrows(IllegalArgumentException.class,
                () -> new TensorData("x", "float32", new long[] {2, 2}, le(12)));
        assertThrows(IllegalArgumentException.class,
                () -> new TensorData("x", "complex64", new long[] {1}, le(8)));
    }

    @Test
    void dataStartsAtTheFirstElementAndReadingItDoesNotMoveIt() {
        ByteBuffer b = le(12).putFloat(9f).putFloat(1f).putFloat(2f).flip();
        b.position(4); // the caller's remaining bytes are the elements
        TensorData t = new TensorData("x", "float32", new long[] {2}, b);
        assertEquals(0, t.data().position());
        assertEquals(ByteOrder.LITTLE_ENDIAN, t.data().order());
        assertEquals(1f, t.data().getFloat());
        t.data().getFloat();
        assertArrayEquals(new float[] {1f, 2f}, t.toFloats());
    }
}
