package dev.danet.io.torch;

import dev.danet.io.ZipEntrySize;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the zip checkpoint format (torch.save since PyTorch 1.6): {@code <prefix>/data.pkl}
 * is the pickle, {@code <prefix>/data/<key>} the raw little-endian bytes of each storage.
 * Each storage entry is read once and dropped once its tensors are copied out.
 */
final class ZipCheckpoint {

    private static final String PICKLE = "data.pkl";

    private ZipCheckpoint() {
    }

    /** Whether the first bytes are a zip signature (local file header or empty archive). */
    static boolean looksLikeZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    static Object read(Path file) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw PthFormatException.corrupt("not a readable zip archive: " + e.getMessage());
        }
        try (zip) {
            ZipEntry pickle = findPickle(zip);
            String prefix = pickle.getName().substring(0, pickle.getName().length() - PICKLE.length());
            checkByteOrder(zip, prefix);

            long archive = Files.size(file);
            requirePlausible(pickle, archive);
            Object root;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(pickle), 1 << 16)) {
                root = new TorchUnpickler(pickle.getSize()).load(in);
            }
            ObjectGraph.Tensors tensors = ObjectGraph.collect(root);
            StridedCopy.requireBoundedExpansion(tensors.byStorage());
            Map<TensorRef, ByteBuffer> data = new IdentityHashMap<>();
            for (Map.Entry<StorageRef, List<TensorRef>> e : tensors.byStorage().entrySet()) {
                byte[] bytes = readStorage(zip, prefix, e.getKey(), archive);
                StridedCopy.copyAll(e.getValue(), bytes, tensors.names(), data);
            }
            return ObjectGraph.resolve(root, data, tensors.names());
        }
    }

    /** Refuses an entry whose recorded size is not to be believed (see {@link ZipEntrySize}). */
    private static void requirePlausible(ZipEntry entry, long archive) {
        ZipEntrySize size = ZipEntrySize.of(entry, archive);
        if (!size.plausible()) {
            throw PthFormatException.corrupt("entry " + entry.getName() + " " + size.describe());
        }
    }

    /** The shallowest entry named data.pkl; its directory is the archive's prefix. */
    private static ZipEntry findPickle(ZipFile zip) {
        ZipEntry best = null;
        for (ZipEntry e : java.util.Collections.list(zip.entries())) {
            String name = e.getName();
            if (!e.isDirectory() && (name.equals(PICKLE) || name.endsWith("/" + PICKLE))
                    && (best == null || depth(name) < depth(best.getName()))) {
                best = e;
            }
        }
        if (best == null) {
            throw PthFormatException.notACheckpoint("a zip archive without data.pkl");
        }
        return best;
    }

    private static long depth(String name) {
        return name.chars().filter(c -> c == '/').count();
    }

    /** PyTorch >= 2.1 records the byte order of the storages; older files are little-endian. */
    private static void checkByteOrder(ZipFile zip, String prefix) throws IOException {
        ZipEntry entry = zip.getEntry(prefix + "byteorder");
        if (entry == null) {
            return;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            String order = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw PthFormatException.unsupported("storages are stored " + order + "-endian");
            }
        }
    }

    private static byte[] readStorage(ZipFile zip, String prefix, StorageRef storage, long archive)
            throws IOException {
        String name = prefix + "data/" + storage.key();
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw PthFormatException.corrupt("storage entry " + name + " is missing");
        }
        requirePlausible(entry, archive);
        long need = storage.byteSize();
        if (need > StridedCopy.MAX_BYTES) {
            throw PthFormatException.unsupported("storage " + name + " is larger than 2 GiB");
        }
        if (entry.getSize() >= 0 && entry.getSize() < need) {
            throw PthFormatException.corrupt("storage entry " + name + " holds " + entry.getSize()
                    + " bytes, but " + storage.numel() + " x " + storage.dtype() + " need " + need);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes;
            int read;
            if (entry.getMethod() == ZipEntry.STORED) {
                // Stored (as torch.save writes): the claim is bytes that lie in the archive (checked
                // above), so one array of that size is safe, and it is all the heap sees: reading
                // piecewise would leave as much again behind for the collector.
                bytes = new byte[(int) need];
                read = in.readNBytes(bytes, 0, bytes.length);
            } else {
                // Read as the bytes arrive rather than allocate the claim: a claim is not yet bytes.
                bytes = in.readNBytes((int) need);
                read = bytes.length;
            }
            if (read < need) {
                throw PthFormatException.corrupt("storage entry " + name + " ends after "
                        + read + " of " + need + " bytes");
            }
            return bytes;
        }
    }
}
