package dev.danet.io.torch;

/**
 * The elements [offset, offset + size) of a storage. Every persistent id resolves to one; only
 * the legacy format ever writes a view that is not the whole storage.
 */
record StorageView(StorageRef storage, long offset, long size) {
}
