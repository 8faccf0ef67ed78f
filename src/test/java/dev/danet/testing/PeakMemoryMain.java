package dev.danet.testing;

import dev.danet.cli.Main;
import dev.danet.process.ProcessMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the CLI as `./danet ARGS` would and, as the process ends, writes its peak resident
 * memory in bytes (VmHWM: the JVM, libtorch and everything else) to the file named by the
 * system property {@value #PEAK_FILE}. A throwable the CLI does not handle still escapes as it
 * would from the real launcher (a stack trace, exit 1), after the peak is written.
 */
public final class PeakMemoryMain {

    public static final String PEAK_FILE = "danet.test.peakFile";

    private PeakMemoryMain() {}

    public static void main(String[] args) throws IOException {
        int code;
        try {
            code = Main.run(args);
        } finally {
            Files.writeString(Path.of(System.getProperty(PEAK_FILE)), Long.toString(ProcessMemory.peakBytes()));
        }
        System.exit(code);
    }
}
