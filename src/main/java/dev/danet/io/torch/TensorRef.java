package dev.danet.io.torch;

/**
 * A tensor as the pickle describes it, before its storage bytes are read: a strided window on a
 * storage view. {@code offset} and {@code stride} count elements, not bytes.
 */
final class TensorRef {

    final StorageView view;
    final long offset;
    final long[] shape;
    final long[] stride;

    TensorRef(StorageView view, long offset, long[] shape, long[] stride) {
        this.view = view;
        this.offset = offset;
        this.shape = shape;
        this.stride = stride;
    }

    String dtype() {
        return view.storage().dtype();
    }
}
