package dev.danet.process;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * glibc's allocator, switched at run time for a process that trains. The launcher's
 * GLIBC_TUNABLES suit inference: every buffer comes from the heap and freed ones stay there
 * (no page faults on the next pass). A training step frees its large buffers in another order
 * than it took them, so the heap fragments and its resident size grows far beyond what is live
 * (DANet-ResNet-50, 512x512: 3.0 GB against 1.7 GB with large buffers mapped on their own; see
 * docs/performance.md). Mapping every buffer of {@link #TRAINING_MMAP_THRESHOLD} or more on its
 * own hands each back to the system when freed, at the price of a page fault per page on the
 * next use, small beside a training step's arithmetic.
 */
public final class NativeAllocator {

    /** Buffers this large or larger are mapped on their own in a training process. */
    public static final int TRAINING_MMAP_THRESHOLD = 4 << 20;

    // mallopt's parameters (malloc.h).
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_MMAP_MAX = -4;
    private static final int MMAP_MAX = 1 << 20;

    private NativeAllocator() {}

    /** The C library's mallopt; 1 on success. */
    private interface C extends Library {
        int mallopt(int parameter, int value);
    }

    /**
     * Has large buffers mapped on their own from now on (see the class comment). False, and
     * nothing changed, where the C library is not glibc or cannot be reached; the system property
     * {@code danet.trainingAllocator=keep} leaves the allocator as it is (to measure the difference).
     */
    public static boolean useForTraining() {
        if ("keep".equals(System.getProperty("danet.trainingAllocator"))) {
            return false;
        }
        try {
            C c = Native.load("c", C.class);
            return c.mallopt(M_MMAP_MAX, MMAP_MAX) == 1 && c.mallopt(M_MMAP_THRESHOLD, TRAINING_MMAP_THRESHOLD) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }
}
