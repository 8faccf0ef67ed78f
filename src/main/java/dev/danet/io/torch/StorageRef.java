package dev.danet.io.torch;

import dev.danet.io.TensorData;

/**
 * One serialized storage of a checkpoint, as its persistent id names it: the key of its raw
 * bytes (zip entry {@code data/<key>}, or position in the legacy storage list), its element
 * type and its element count. One instance per key per checkpoint.
 */
record StorageRef(String key, String dtype, long numel) {

    long byteSize() {
        return numel * TensorData.elementSize(dtype);
    }
}
