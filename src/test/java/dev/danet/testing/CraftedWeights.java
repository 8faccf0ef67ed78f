package dev.danet.testing;

import dev.danet.nn.HeadType;
import dev.danet.nn.Network;
import dev.danet.testing.TorchSaveFiles.Storage;
import dev.danet.testing.TorchSaveFiles.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Crafted weights files that used to cost gigabytes, for the hostile-file tests in and out of process. */
public final class CraftedWeights {

    private CraftedWeights() {}

    /** A .danet's two parts, to rewrap with changes. */
    public record DanetParts(String header, byte[] weights) {

        /** The .danet with the first match of the regular expression in its header replaced. */
        public byte[] withHeader(String regex, String replacement) {
            String changed = header.replaceFirst(regex, replacement);
            if (changed.equals(header)) {
                throw new IllegalArgumentException("no match for " + regex);
            }
            return ArrayFiles.danet(changed, weights);
        }
    }

    /** The state dict of {@link TinyModels}' FCN, as a torch.save root. */
    public static Map<String, Object> tinyStateDict() {
        try (Network network = TinyModels.create(HeadType.FCN)) {
            return TorchSaveFiles.stateDict(network);
        }
    }

    /** The parts of the tiny FCN's .danet, saved (and read back) through the given folder. */
    public static DanetParts tinyDanet(Path dir) {
        Path file = TinyModels.save(dir.resolve("tiny-fcn.danet"), HeadType.FCN);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return new DanetParts(
                    new String(zip.getInputStream(zip.getEntry("checkpoint.json")).readAllBytes(),
                            StandardCharsets.UTF_8),
                    zip.getInputStream(zip.getEntry("weights.safetensors")).readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tiny .danet claiming width 512 over its width-4 weights (3.1 GB of network if built). */
    public static byte[] widerThanItsWeights(DanetParts tiny) {
        return tiny.withHeader("\"width\" : 4", "\"width\" : 512");
    }

    /**
     * The tiny state dict with a first layer1 convolution of shape [100000, 4, 3, 3]: 14 MB of
     * weights from one stored float (zero strides), implying a network of 360 GB.
     */
    public static byte[] width100000() {
        Map<String, Object> state = new LinkedHashMap<>(tinyStateDict());
        state.put("pretrained.layer1.0.conv1.weight",
                new Tensor(Storage.floats("wide", 0.5f), 0, new long[] {100000, 4, 3, 3}, new long[4]));
        return TorchSaveFiles.zip(state);
    }

    /** A .pth of 64 tensors of 2^26 floats (16 GB dense) that are zero-stride views of one float. */
    public static byte[] zeroStrideExpansion() {
        Storage one = Storage.floats("one", 1f);
        Map<String, Object> tensors = new LinkedHashMap<>();
        for (int i = 0; i < 64; i++) {
            tensors.put("t" + i, new Tensor(one, 0, new long[] {1L << 26}, new long[] {0}));
        }
        return TorchSaveFiles.zip(tensors);
    }

    /**
     * A .danet whose weights entry is a well-formed safetensors header over {@code bytes} of
     * zeros, deflated: 512 MB fit in under a megabyte.
     */
    public static byte[] zipBomb(String checkpointJson, long bytes) {
        byte[] header = ("{\"x\":{\"dtype\":\"F32\",\"shape\":[" + bytes / 4 + "],\"data_offsets\":[0," + bytes
                + "]}}").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry("checkpoint.json"));
            zip.write(checkpointJson.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("weights.safetensors"));
            zip.write(ArrayFiles.safetensorsClaiming(header.length, header, new byte[0]));
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < bytes; written += zeros.length) {
                zip.write(zeros, 0, (int) Math.min(zeros.length, bytes - written));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toByteArray();
    }
}
