package dev.danet.io;

import dev.danet.AtomicFiles;
import dev.danet.DanetException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** NumPy .npy files (format 1.0-3.0), the interchange format of the forward command. */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** Java arrays hold at most this many bytes. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private Npy() {}

    /**
     * Reads a little-endian, C-order array of a numeric type. The header's length and the
     * array's byte count are checked against the file's size before anything is allocated.
     */
    public static TensorData read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            long fileSize = Files.size(file);
            byte[] magic = new byte[6];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new DanetException(file + ": not a .npy file (no NUMPY magic)");
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            long headerLength = major == 1
                    ? Short.toUnsignedInt(Short.reverseBytes(in.readShort()))
                    : Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            long headerStart = major == 1 ? 10 : 12;
            if (headerLength > fileSize - headerStart) {
                throw new DanetException(file + ": truncated or corrupt .npy file (its header claims "
                        + headerLength + " bytes, the file has " + (fileSize - headerStart) + " after the preamble)");
            }
            byte[] headerBytes = new byte[(int) headerLength];
            in.readFully(headerBytes);
            String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
            String dtype = dtype(file, match(file, DESCR, header));
            if (match(file, FORTRAN, header).equals("True")) {
                throw new DanetException(file + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
            }
            long[] shape = parseShape(file, match(file, SHAPE, header));
            long bytes = byteCount(file, shape, dtype);
            long available = fileSize - headerStart - headerLength;
            if (bytes > available) {
                throw new DanetException(file + ": truncated .npy file (shape " + java.util.Arrays.toString(shape)
                        + " of " + dtype + " needs " + bytes + " bytes, the file holds " + available + ")");
            }
            if (bytes > MAX_BYTES) {
                throw new DanetException(file + ": array too large (" + bytes + " bytes; at most " + MAX_BYTES + ")");
            }
            byte[] data = new byte[(int) bytes];
            in.readFully(data);
            return new TensorData(file.getFileName().toString(), dtype, shape, ByteBuffer.wrap(data));
        } catch (NoSuchFileException e) {
            throw new DanetException(file + ": no such file");
        } catch (java.io.EOFException e) {
            throw new DanetException(file + ": truncated .npy file (fewer bytes than its header declares)");
        } catch (IOException e) {
            throw new DanetException(file + ": cannot read: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }

    /** Writes a float32 array atomically. */
    public static void writeFloat32(Path file, float[] values, long[] shape) {
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        write(file, "<f4", shape, data.array());
    }

    private static void write(Path file, String descr, long[] shape, byte[] data) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        if (shape.length > 1) {
            dims.setLength(dims.length() - 2);
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        AtomicFiles.write(file, out -> {
            out.write(MAGIC);
            out.write(new byte[] {1, 0});
            int length = header.length();
            out.write(new byte[] {(byte) length, (byte) (length >> 8)});
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            out.write(data);
        });
    }

    private static String match(Path file, Pattern pattern, String header) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new DanetException(file + ": malformed .npy header: " + excerpt(header));
        }
        return m.group(1);
    }

    /** The start of a header on one line, for messages: a corrupt one may hold anything. */
    private static String excerpt(String header) {
        String line = header.replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?").trim();
        return line.length() <= 120 ? line : line.substring(0, 120) + " ...";
    }

    private static String dtype(Path file, String descr) {
        return switch (descr) {
            case "<f4", "f4" -> "float32";
            case "<f8", "f8" -> "float64";
            case "<f2" -> "float16";
            case "<i8" -> "int64";
            case "<i4" -> "int32";
            case "|u1", "u1" -> "uint8";
            case "|b1" -> "bool";
            default -> throw new DanetException(file + ": unsupported .npy type '" + excerpt(descr)
                    + "' (use little-endian float32, float64, int32, int64 or uint8)");
        };
    }

    /** The shape's dimensions: each a non-negative integer. */
    private static long[] parseShape(Path file, String text) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            long dim;
            try {
                dim = Long.parseLong(part.trim().replaceFirst("[lL]$", ""));
            } catch (NumberFormatException e) {
                throw new DanetException(file + ": malformed .npy shape (" + text.trim() + "): '" + part.trim()
                        + "' is not a whole number");
            }
            if (dim < 0) {
                throw new DanetException(file + ": malformed .npy shape (" + text.trim() + "): dimension " + dim
                        + " is negative");
            }
            dims.add(dim);
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** Elements times element size, refused when it exceeds a long. */
    private static long byteCount(Path file, long[] shape, String dtype) {
        try {
            long bytes = TensorData.elementSize(dtype);
            for (long dim : shape) {
                bytes = Math.multiplyExact(bytes, dim);
            }
            return bytes;
        } catch (ArithmeticException e) {
            throw new DanetException(file + ": impossible .npy shape " + java.util.Arrays.toString(shape)
                    + " (more bytes than any file holds)");
        }
    }
}
