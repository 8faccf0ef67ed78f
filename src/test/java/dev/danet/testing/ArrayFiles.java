package dev.danet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Array containers as bytes, with every length and header field under the caller's control:
 * NumPy .npy, safetensors, and the project's .danet zip around them.
 */
public final class ArrayFiles {

    private ArrayFiles() {}

    /** A .npy of format 1.0 with the given header dict text, e.g. {'descr': '<f4', ...}. */
    public static byte[] npy(String dict, byte[] data) {
        String header = dict + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 0xff);
        out.write(header.length() >> 8);
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** A .npy of format 2.0 whose 4-byte header length says {@code claimed}, followed by {@code rest}. */
    public static byte[] npyClaimingHeader(long claimed, byte[] rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0});
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) claimed).array());
        out.writeBytes(rest);
        return out.toByteArray();
    }

    /** A float32 C-order .npy of the given shape (written as the dict says) and values. */
    public static byte[] npyFloats(String shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }", b.array());
    }

    /** Safetensors: an 8-byte little-endian header length, the JSON header, the data. */
    public static byte[] safetensors(String headerJson, byte[] data) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        return safetensorsClaiming(header.length, header, data);
    }

    /** Safetensors whose length field says {@code claimed} whatever the header's real length. */
    public static byte[] safetensorsClaiming(long claimed, byte[] header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(claimed).array());
        out.writeBytes(header);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /**
     * A copy of a zip whose central directory claims other sizes for one entry: what a reader
     * trusting the directory would allocate, without the bytes behind the claim.
     */
    public static byte[] claimingSizes(byte[] zip, String entry, long size, long compressed) {
        byte[] out = zip.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at + 46 <= out.length; at++) {
            if (b.getInt(at) == 0x02014b50 && Short.toUnsignedInt(b.getShort(at + 28)) == name.length
                    && java.util.Arrays.equals(out, at + 46, at + 46 + name.length, name, 0, name.length)) {
                b.putInt(at + 20, (int) compressed);
                b.putInt(at + 24, (int) size);
                return out;
            }
        }
        throw new IllegalArgumentException("no central directory entry " + entry);
    }

    /** A .danet zip: checkpoint.json first, then weights.safetensors, as ModelCheckpoint writes them. */
    public static byte[] danet(String checkpointJson, byte[] weights) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("checkpoint.json"));
            zip.write(checkpointJson.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("weights.safetensors"));
            zip.write(weights);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
