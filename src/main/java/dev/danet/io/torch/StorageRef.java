package dev.danet.io.torch;

import dev.danet.io.TensorData;

/**
 * One serialized storage of a checkpoint, as its persistent id names it: the key of its raw
 * bytes (zip entry {@code data/<key>}, or position in the legacy storage list), its element
 * type and its element count. One instance per key per checkpoint.
 */
record StorageRef(String key, String dtype, long numel) {

    /** The storage's size in bytes; a count whose size exceeds a long is a corrupt file. */
    long byteSize() {
        try {
            return Math.multiplyExact(numel, TensorData.elementSize(dtype));
        } catch (ArithmeticException e) {
            throw PthFormatException.corrupt("storage " + key + " claims " + numel + " x " + dtype
                    + ", more bytes than any file holds");
        }
    }
}
