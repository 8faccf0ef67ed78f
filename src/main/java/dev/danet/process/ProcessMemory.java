package dev.danet.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory as Linux reports it in /proc/self/status: what the JVM heap,
 * libtorch's allocations and the native libraries really occupy. The peak (VmHWM) can be reset
 * (writing 5 to /proc/self/clear_refs), so one phase's peak can be read on its own.
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessMemory() {}

    /** Current resident set in bytes, or -1 where /proc is not available. */
    public static long residentBytes() {
        return field("VmRSS:");
    }

    /** Peak resident set in bytes since start or the last reset, or -1. */
    public static long peakBytes() {
        return field("VmHWM:");
    }

    /** Resets the peak to the current resident set; false where the kernel does not allow it. */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
