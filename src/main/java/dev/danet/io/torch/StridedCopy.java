package dev.danet.io.torch;

import dev.danet.io.TensorData;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Copies tensors out of a storage's raw bytes into dense row-major buffers, following each
 * tensor's offset and strides, after checking that the tensor lies inside the storage.
 */
final class StridedCopy {

    /** Java arrays hold at most this many bytes. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;
    /**
     * How far the dense copies may exceed the storages they come from: views that cover a
     * storage a few times over are legitimate; zero strides that turn four bytes into gigabytes
     * (a tensor of 2^28 elements over one) are not.
     */
    static final long MAX_EXPANSION = 4;
    static final long EXPANSION_SLACK = 64L << 20;

    private StridedCopy() {
    }

    /**
     * Refuses, before any storage is read, tensors whose dense copies would take more than
     * {@link #MAX_EXPANSION} times their storages' bytes plus {@link #EXPANSION_SLACK}.
     */
    static void requireBoundedExpansion(Map<StorageRef, List<TensorRef>> byStorage) {
        long stored = 0;
        long dense = 0;
        for (Map.Entry<StorageRef, List<TensorRef>> e : byStorage.entrySet()) {
            stored = saturatedAdd(stored, e.getKey().byteSize());
            for (TensorRef t : e.getValue()) {
                dense = saturatedAdd(dense, denseBytes(t));
            }
        }
        long allowed = stored > Long.MAX_VALUE / MAX_EXPANSION ? Long.MAX_VALUE
                : saturatedAdd(stored * MAX_EXPANSION, EXPANSION_SLACK);
        if (dense > allowed) {
            throw PthFormatException.unsupported("its tensors would expand to " + describe(dense) + " from "
                    + stored + " bytes of storage (zero or overlapping strides); at most "
                    + MAX_EXPANSION + " times the storage, plus 64 MB, is read");
        }
    }

    /** A tensor's dense size in bytes; 0 for an impossible shape, which {@link #copy} refuses. */
    private static long denseBytes(TensorRef t) {
        long bytes = TensorData.elementSize(t.dtype());
        for (long d : t.shape) {
            if (d < 0) {
                return 0;
            }
            bytes = d == 0 ? 0 : bytes > Long.MAX_VALUE / d ? Long.MAX_VALUE : bytes * d;
        }
        return bytes;
    }

    private static long saturatedAdd(long a, long b) {
        return b > Long.MAX_VALUE - a ? Long.MAX_VALUE : a + b;
    }

    private static String describe(long bytes) {
        return bytes == Long.MAX_VALUE ? "more bytes than a long counts" : bytes + " bytes";
    }

    /**
     * Copies every tensor viewing one storage.
     *
     * @param views the tensors on {@code storage}
     * @param storage the storage's bytes, element 0 first, at least its declared size
     * @param names tensor names for error messages
     * @param out receives each tensor's dense bytes
     */
    static void copyAll(List<TensorRef> views, byte[] storage, Map<TensorRef, String> names,
            Map<TensorRef, ByteBuffer> out) {
        boolean alone = views.size() == 1;
        for (TensorRef t : views) {
            out.put(t, copy(t, storage, alone, names.getOrDefault(t, "?")));
        }
    }

    /**
     * The dense, row-major bytes of one tensor.
     *
     * @param mayAlias whether the result may wrap {@code storage} itself when the tensor is
     *     exactly the whole storage (only when no other tensor uses it)
     */
    static ByteBuffer copy(TensorRef t, byte[] storage, boolean mayAlias, String name) {
        int es = TensorData.elementSize(t.dtype());
        long numel = 1;
        long extent = 0; // index of the last element, relative to the tensor's first
        long byteCount;
        try {
            for (int i = 0; i < t.shape.length; i++) {
                if (t.shape[i] < 0 || t.stride[i] < 0) {
                    throw PthFormatException.corrupt("tensor '" + name + "' has size "
                            + Arrays.toString(t.shape) + " and stride " + Arrays.toString(t.stride));
                }
                numel = Math.multiplyExact(numel, t.shape[i]);
                if (t.shape[i] > 0) {
                    extent = Math.addExact(extent, Math.multiplyExact(t.shape[i] - 1, t.stride[i]));
                }
            }
            byteCount = Math.multiplyExact(numel, es);
        } catch (ArithmeticException e) {
            throw PthFormatException.corrupt("tensor '" + name + "' has an impossible size "
                    + Arrays.toString(t.shape));
        }
        if (byteCount > MAX_BYTES) {
            throw PthFormatException.unsupported("tensor '" + name + "' is larger than 2 GiB");
        }
        if (numel == 0) {
            return ByteBuffer.allocate(0);
        }
        StorageView view = t.view;
        if (t.offset < 0 || extent >= view.size() || t.offset > view.size() - 1 - extent) {
            throw PthFormatException.corrupt("tensor '" + name + "' " + t.dtype()
                    + Arrays.toString(t.shape) + " needs elements " + t.offset + ".."
                    + (t.offset + extent) + " of storage " + view.storage().key()
                    + ", which has only " + view.size());
        }
        long start = view.offset() + t.offset;
        // Both terms lie inside the storage's declared size, whose byte count fits a long.
        long needed = (start + extent + 1) * es;
        if (needed > storage.length) {
            throw PthFormatException.corrupt("storage " + view.storage().key() + " holds "
                    + storage.length + " bytes, tensor '" + name + "' needs " + needed);
        }
        int bytes = (int) byteCount;
        if (mayAlias && start == 0 && bytes == storage.length && isContiguous(t)) {
            return ByteBuffer.wrap(storage);
        }

        // Trailing dimensions that are laid out densely are copied as one block.
        int d = t.shape.length - 1;
        long blockElems = 1;
        while (d >= 0 && (t.shape[d] == 1 || t.stride[d] == blockElems)) {
            blockElems *= t.shape[d];
            d--;
        }
        int blockBytes = (int) (blockElems * es);
        byte[] out = new byte[bytes];
        long[] index = new long[d + 1];
        long src = start;
        for (int pos = 0; pos < bytes; pos += blockBytes) {
            System.arraycopy(storage, (int) (src * es), out, pos, blockBytes);
            for (int i = d; i >= 0; i--) { // next block: odometer over the outer dims
                if (++index[i] < t.shape[i]) {
                    src += t.stride[i];
                    break;
                }
                src -= (index[i] - 1) * t.stride[i];
                index[i] = 0;
            }
        }
        return ByteBuffer.wrap(out);
    }

    private static boolean isContiguous(TensorRef t) {
        long expected = 1;
        for (int i = t.shape.length - 1; i >= 0; i--) {
            if (t.shape[i] != 1 && t.stride[i] != expected) {
                return false;
            }
            expected *= t.shape[i];
        }
        return true;
    }
}
