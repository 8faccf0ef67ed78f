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

    private StridedCopy() {
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
        } catch (ArithmeticException e) {
            throw PthFormatException.corrupt("tensor '" + name + "' has an impossible size "
                    + Arrays.toString(t.shape));
        }
        if (numel * es > MAX_BYTES) {
            throw PthFormatException.unsupported("tensor '" + name + "' is larger than 2 GiB");
        }
        if (numel == 0) {
            return ByteBuffer.allocate(0);
        }
        StorageView view = t.view;
        if (t.offset < 0 || t.offset + extent >= view.size()) {
            throw PthFormatException.corrupt("tensor '" + name + "' " + t.dtype()
                    + Arrays.toString(t.shape) + " needs elements " + t.offset + ".."
                    + (t.offset + extent) + " of storage " + view.storage().key()
                    + ", which has only " + view.size());
        }
        long start = view.offset() + t.offset;
        if ((start + extent + 1) * es > storage.length) {
            throw PthFormatException.corrupt("storage " + view.storage().key() + " holds "
                    + storage.length + " bytes, tensor '" + name + "' needs "
                    + (start + extent + 1) * es);
        }
        int bytes = (int) (numel * es);
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
