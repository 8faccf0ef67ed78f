package dev.danet.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory, which includes libtorch's native allocations the heap does not show. */
final class ProcessMemory {

    private ProcessMemory() {}

    /** Resident set size in bytes from /proc/self/status, or -1 where there is no such file. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
