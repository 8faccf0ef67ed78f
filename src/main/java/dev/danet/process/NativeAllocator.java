package dev.danet.process;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.danet.DanetException;

/**
 * glibc's allocator, switched at run time for training with the least memory
 * ({@link dev.danet.nn.TrainingMemory#mapsLargeBuffers}). The launcher's
 * GLIBC_TUNABLES suit inference: every buffer comes from the heap and freed ones stay there
 * (no page faults on the next pass). A training step frees its large buffers in another order
 * than it took them, so the heap fragments and its resident size grows far beyond what is live
 * (DANet-ResNet-50, 512x512: 3.0 GB against 1.7 GB with large buffers mapped on their own; see
 * docs/performance.md). Mapping every buffer of {@link #TRAINING_MMAP_THRESHOLD} or more on its
 * own hands each back to the system when freed, at the price of a page fault per page on every
 * use: 35-45% more time per step at 512x512 on a 2-core virtual machine, where faults are dear.
 * The launcher's glibc.malloc.hugetlb=1 has those mappings backed by transparent huge pages
 * where the kernel grants them on request, one fault per 2 MB instead of per 4 KB.
 */
public final class NativeAllocator {

    /** Buffers this large or larger are mapped on their own when {@link #mapLargeBuffers} is on. */
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
     * Has large buffers mapped on their own from now on (see the class comment), or with
     * {@code map} false, every buffer taken from the heap again (the launcher's setting). False,
     * and nothing changed, where the C library is not glibc or cannot be reached; the system
     * property {@code danet.trainingAllocator=keep} leaves the allocator as it is (to measure the
     * difference), and {@code danet.trainingMmapThresholdMb} sets another threshold.
     */
    public static boolean mapLargeBuffers(boolean map) {
        if ("keep".equals(System.getProperty("danet.trainingAllocator"))) {
            return false;
        }
        try {
            C c = Native.load("c", C.class);
            if (!map) {
                return c.mallopt(M_MMAP_MAX, 0) == 1;
            }
            return c.mallopt(M_MMAP_MAX, MMAP_MAX) == 1 && c.mallopt(M_MMAP_THRESHOLD, mmapThreshold()) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /** {@link #TRAINING_MMAP_THRESHOLD}, or the megabytes of danet.trainingMmapThresholdMb (1 to 32). */
    static int mmapThreshold() {
        String megabytes = System.getProperty("danet.trainingMmapThresholdMb");
        if (megabytes == null) {
            return TRAINING_MMAP_THRESHOLD;
        }
        try {
            int value = Integer.parseInt(megabytes.trim());
            if (value >= 1 && value <= 32) { // glibc's ceiling for the threshold is 32 MB on 64-bit systems
                return value << 20;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DanetException("danet.trainingMmapThresholdMb: expected megabytes from 1 to 32, got '" + megabytes + "'");
    }
}
