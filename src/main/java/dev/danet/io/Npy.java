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

    private Npy() {}

    /** Reads a little-endian, C-order array of a numeric type. */
    public static TensorData read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            byte[] magic = new byte[6];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new DanetException(file + ": not a .npy file (no NUMPY magic)");
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            int headerLength = major == 1
                    ? Short.toUnsignedInt(Short.reverseBytes(in.readShort()))
                    : Integer.reverseBytes(in.readInt());
            byte[] headerBytes = new byte[headerLength];
            in.readFully(headerBytes);
            String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
            String dtype = dtype(file, match(file, DESCR, header));
            if (match(file, FORTRAN, header).equals("True")) {
                throw new DanetException(file + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
            }
            long[] shape = parseShape(match(file, SHAPE, header));
            long bytes = TensorData.numel(shape) * TensorData.elementSize(dtype);
            if (bytes > Integer.MAX_VALUE) {
                throw new DanetException(file + ": array too large (" + bytes + " bytes)");
            }
            byte[] data = new byte[(int) bytes];
            in.readFully(data);
            return new TensorData(file.getFileName().toString(), dtype, shape, ByteBuffer.wrap(data));
        } catch (NoSuchFileException e) {
            throw new DanetException(file + ": no such file");
        } catch (java.io.EOFException e) {
            throw new DanetException(file + ": truncated .npy file (fewer bytes than its header declares)");
        } catch (IOException e) {
            throw new DanetException(file + ": cannot read: " + e.getMessage(), e);
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
            throw new DanetException(file + ": malformed .npy header: " + header.trim());
        }
        return m.group(1);
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
            default -> throw new DanetException(file + ": unsupported .npy type '" + descr
                    + "' (use little-endian float32, float64, int32, int64 or uint8)");
        };
    }

    private static long[] parseShape(String text) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                dims.add(Long.parseLong(part.trim()));
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
