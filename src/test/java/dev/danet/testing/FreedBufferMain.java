package dev.danet.testing;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.danet.process.NativeAllocator;
import dev.danet.process.ProcessMemory;

/**
 * Whether freed large buffers leave the process, as a training step's buffers are freed: eight
 * 30 MB tensors are filled, each followed by a small one that stays, then the large ones are
 * closed (a buffer above 64 MB would be mapped on its own anyway, outside the main thread). Prints
 * whether the training allocator was switched on (argument "training"), and the resident memory
 * before, with the buffer and after freeing it, in bytes.
 */
public final class FreedBufferMain {

    private FreedBufferMain() {}

    public static void main(String[] args) {
        boolean switched = args.length > 0 && args[0].equals("training") && NativeAllocator.mapLargeBuffers(true);
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.ones(new Shape(1024)).close(); // the engine and its first allocations
            long before = ProcessMemory.residentBytes();
            NDList large = new NDList();
            NDList small = new NDList();
            for (int i = 0; i < 8; i++) {
                large.add(manager.ones(new Shape(30, 256, 1024)));
                small.add(manager.ones(new Shape(256, 1024)));
            }
            long with = ProcessMemory.residentBytes();
            large.close();
            long after = ProcessMemory.residentBytes();
            small.close();
            System.out.println(switched + " " + before + " " + with + " " + after);
        }
    }
}
