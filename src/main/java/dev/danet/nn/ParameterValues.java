package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Writes new values into a weight's own memory. DJL's {@code copyTo} does not: it reads the
 * source into a Java byte array, copies that into a fresh direct ByteBuffer and points the
 * target tensor at the buffer, so every weight set that way ends up in memory the JVM owns (a
 * second home for all the weights, freed only when the garbage collector gets to the buffer)
 * while the tensor's own storage goes back to the allocator. Here libtorch copies the values
 * in place ({@code copy_}, converting type and device as PyTorch's {@code load_state_dict}
 * does): the target stays the same tensor, a leaf parameter with its gradient setting.
 */
public final class ParameterValues {

    private static final NDIndex EVERYTHING = new NDIndex("...");

    private ParameterValues() {}

    /**
     * Sets every element of target to the element of values at the same index; values must have
     * target's shape and may have another type or device. Records no autograd graph.
     */
    public static void assign(NDArray target, NDArray values) {
        if (!target.getShape().equals(values.getShape())) {
            throw new IllegalArgumentException("shape " + values.getShape() + " does not fit " + target.getShape());
        }
        try (GradMode.Off noGraph = GradMode.off()) {
            NDArray typed = values.toType(target.getDataType(), false);
            NDArray moved = typed.toDevice(target.getDevice(), false);
            try {
                target.set(EVERYTHING, moved);
            } finally {
                closeCopy(moved, values);
                if (typed != moved) {
                    closeCopy(typed, values);
                }
            }
        }
    }

    /** Closes a converted copy, never the caller's own array. */
    private static void closeCopy(NDArray copy, NDArray original) {
        if (copy != original) {
            copy.close();
        }
    }
}
