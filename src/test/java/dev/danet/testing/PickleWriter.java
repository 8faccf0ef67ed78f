package dev.danet.testing;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Writes a Python pickle opcode by opcode (protocol 2, as torch.save does): enough to craft
 * checkpoints, well-formed or not, without Python. Each method appends one opcode and its operand.
 */
public final class PickleWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public PickleWriter proto() {
        return op(0x80).op(2);
    }

    public PickleWriter mark() {
        return op('(');
    }

    public PickleWriter emptyDict() {
        return op('}');
    }

    public PickleWriter emptyList() {
        return op(']');
    }

    public PickleWriter emptyTuple() {
        return op(')');
    }

    /** TUPLE: the items since the last mark. */
    public PickleWriter tuple() {
        return op('t');
    }

    /** SETITEMS: key-value pairs since the last mark into the dict below the mark. */
    public PickleWriter setItems() {
        return op('u');
    }

    /** APPENDS: items since the last mark onto the list below the mark. */
    public PickleWriter appends() {
        return op('e');
    }

    public PickleWriter none() {
        return op('N');
    }

    public PickleWriter bool(boolean value) {
        return op(value ? 0x88 : 0x89);
    }

    /** BINUNICODE: a str with its 4-byte length. */
    public PickleWriter str(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        op('X').int32(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    /** BINUNICODE with a length that need not match the bytes that follow (a corrupt str). */
    public PickleWriter strClaiming(long length, String text) {
        op('X').int32((int) length);
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** An int: BININT when it fits 32 bits, else LONG1. */
    public PickleWriter integer(long value) {
        if (value == (int) value) {
            return op('J').int32((int) value);
        }
        return bigInteger(BigInteger.valueOf(value));
    }

    /** LONG1: any int, two's complement little-endian. */
    public PickleWriter bigInteger(BigInteger value) {
        byte[] bigEndian = value.toByteArray();
        op(0x8a).op(bigEndian.length);
        for (int i = bigEndian.length - 1; i >= 0; i--) {
            out.write(bigEndian[i]);
        }
        return this;
    }

    public PickleWriter floating(double value) {
        op('G');
        long bits = Double.doubleToLongBits(value);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (bits >>> shift));
        }
        return this;
    }

    /** GLOBAL: module.name, as the pickle names a class or function. */
    public PickleWriter global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** REDUCE: call the callable below the argument tuple. */
    public PickleWriter reduce() {
        return op('R');
    }

    /** BINPERSID: the persistent id on the stack. */
    public PickleWriter persistentId() {
        return op('Q');
    }

    public PickleWriter stop() {
        return op('.');
    }

    /** Any opcode byte, for malformed pickles. */
    public PickleWriter op(int opcode) {
        out.write(opcode);
        return this;
    }

    private PickleWriter int32(int value) {
        for (int i = 0; i < 4; i++) {
            out.write(value >>> (8 * i));
        }
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }
}
