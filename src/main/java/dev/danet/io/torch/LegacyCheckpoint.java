package dev.danet.io.torch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the legacy checkpoint format (torch.save before PyTorch 1.6, or with
 * {@code _use_new_zipfile_serialization=False}), one stream of:
 * <ol>
 *   <li>a pickle of the magic number 0x1950a86a20f9469cfc6c,</li>
 *   <li>a pickle of the protocol version 1001,</li>
 *   <li>a pickle of sys_info (byte order, type sizes),</li>
 *   <li>the main pickle, whose persistent ids name storages,</li>
 *   <li>a pickle of the list of storage keys,</li>
 *   <li>for each key in that order: an int64 little-endian element count, then the bytes.</li>
 * </ol>
 * Storages are read in file order; each is dropped once its tensors are copied out.
 */
final class LegacyCheckpoint {

    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    /** The magic number as a pickle LONG1 opcode writes it: 0x8a, 10 bytes little-endian. */
    private static final byte[] MAGIC_LONG1 = {
        (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a,
        (byte) 0xa8, 0x50, 0x19};
    private static final int PROTOCOL_VERSION = 1001;

    private LegacyCheckpoint() {
    }

    /** Whether the first bytes are a pickle (protocol 2 to 5) of the legacy magic number. */
    static boolean looksLegacy(byte[] head) {
        if (head.length < 2 || head[0] != (byte) 0x80 || head[1] < 2 || head[1] > 5) {
            return false;
        }
        int at = 2;
        if (head.length > at && head[at] == (byte) 0x95) { // FRAME, protocol >= 4
            at += 9;
        }
        if (head.length < at + MAGIC_LONG1.length) {
            return false;
        }
        for (int i = 0; i < MAGIC_LONG1.length; i++) {
            if (head[at + i] != MAGIC_LONG1[i]) {
                return false;
            }
        }
        return true;
    }

    static Object read(Path file) throws IOException {
        long fileSize = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Object magic = new TorchUnpickler(fileSize).load(in);
            if (!MAGIC.equals(magic)) {
                throw PthFormatException.notACheckpoint("no legacy torch.save magic number");
            }
            Object version = new TorchUnpickler(fileSize).load(in);
            if (!((version instanceof Integer || version instanceof Long)
                    && ((Number) version).longValue() == PROTOCOL_VERSION)) {
                throw PthFormatException.unsupported("legacy protocol version " + version
                        + " (expected " + PROTOCOL_VERSION + ")");
            }
            Object sysInfo = new TorchUnpickler(fileSize).load(in);
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw PthFormatException.unsupported("saved on a big-endian machine");
            }
            TorchUnpickler main = new TorchUnpickler(fileSize);
            Object root = main.load(in);
            List<Object> keys = PickleConstructors.asList(new TorchUnpickler(fileSize).load(in),
                    "the storage key list");

            ObjectGraph.Tensors tensors = ObjectGraph.collect(root);
            StridedCopy.requireBoundedExpansion(tensors.byStorage());
            Map<TensorRef, ByteBuffer> data = new IdentityHashMap<>();
            Set<StorageRef> read = new HashSet<>();
            for (Object k : keys) {
                String key = TorchUnpickler.text(k);
                StorageRef storage = main.storages().get(key);
                if (storage == null) {
                    throw PthFormatException.corrupt("the storage list names storage " + key
                            + ", which the pickle never uses");
                }
                byte[] bytes = readStorage(in, storage, fileSize);
                read.add(storage);
                List<TensorRef> views = tensors.byStorage().get(storage);
                if (views != null) {
                    StridedCopy.copyAll(views, bytes, tensors.names(), data);
                }
            }
            for (StorageRef storage : tensors.byStorage().keySet()) {
                if (!read.contains(storage)) {
                    throw PthFormatException.corrupt("storage " + storage.key()
                            + " is missing from the storage list");
                }
            }
            return ObjectGraph.resolve(root, data, tensors.names());
        }
    }

    private static byte[] readStorage(InputStream in, StorageRef storage, long fileSize)
            throws IOException {
        byte[] count = in.readNBytes(8);
        if (count.length < 8) {
            throw PthFormatException.corrupt("the file ends before storage " + storage.key());
        }
        long numel = ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (numel != storage.numel()) {
            throw PthFormatException.corrupt("storage " + storage.key() + " holds " + numel
                    + " elements, the pickle says " + storage.numel());
        }
        long need = storage.byteSize();
        if (need > StridedCopy.MAX_BYTES && need <= fileSize) {
            throw PthFormatException.unsupported("storage " + storage.key() + " is larger than 2 GiB");
        }
        if (need > fileSize) {
            throw PthFormatException.corrupt("storage " + storage.key() + " needs " + need
                    + " bytes, more than the whole file");
        }
        byte[] bytes = new byte[(int) need];
        int got = in.readNBytes(bytes, 0, bytes.length);
        if (got < need) {
            throw PthFormatException.corrupt("the file ends inside storage " + storage.key()
                    + " (" + got + " of " + need + " bytes)");
        }
        return bytes;
    }
}
