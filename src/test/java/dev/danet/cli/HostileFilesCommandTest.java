package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.testing.CraftedWeights;
import dev.danet.testing.LauncherEnvironment;
import dev.danet.testing.PeakMemoryMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `danet info` of a crafted weights file under 1 MB, in a process of its own as a user runs it:
 * exit 2 with one stderr line, and a peak resident memory under {@value #PEAK_BOUND_MB} MB. These
 * files used to cost gigabytes before failing (3.1 GB for the wider config, the heap's worth for
 * the zero strides) or to end in a stack trace and exit 1 (width 100000). The in-process suite,
 * HostileFilesTest, covers the many other crafted files; a JVM start costs seconds.
 */
class HostileFilesCommandTest {

    /** The bound docs/limits.md states for `info` of any file under 1 MB. */
    static final long PEAK_BOUND_MB = 1536;

    @TempDir
    static Path dir;

    private static CraftedWeights.DanetParts tiny;

    @BeforeAll
    static void craft() {
        tiny = CraftedWeights.tinyDanet(dir);
    }

    private static byte[] crafted(String kind) {
        return switch (kind) {
            case "config-wider-than-weights.danet" -> CraftedWeights.widerThanItsWeights(tiny);
            case "zero-strides.pth" -> CraftedWeights.zeroStrideExpansion();
            case "width-100000.pth" -> CraftedWeights.width100000();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"config-wider-than-weights.danet", "zero-strides.pth", "width-100000.pth"})
    void infoRefusesInOneLineWithinTheMemoryBound(String kind) throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "peak RSS needs /proc");
        Path file = Files.write(dir.resolve(kind), crafted(kind));
        assertTrue(Files.size(file) < 1 << 20, kind + " is under 1 MB: " + Files.size(file));
        Path peak = dir.resolve(kind + ".peak");
        Path err = dir.resolve(kind + ".err");
        ProcessBuilder builder = new ProcessBuilder(javaCommand(peak, "info", "--weights", file.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        // As the ./danet launcher sets them: glibc keeps up to 256 MB of freed memory, which counts.
        LauncherEnvironment.apply(builder);
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), kind + ": finished");
        String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
        assertEquals(2, process.exitValue(), stderr);
        List<String> lines = stderr.lines().toList();
        assertEquals(1, lines.size(), "one line: " + stderr);
        assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(file.toString()), stderr);
        long peakMb = Long.parseLong(Files.readString(peak).strip()) >> 20;
        assertTrue(peakMb < PEAK_BOUND_MB, kind + ": peak RSS " + peakMb + " MB");
    }

    /** This JVM's java and classpath, running the CLI through {@link PeakMemoryMain}. */
    private static List<String> javaCommand(Path peakFile, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Dai.djl.offline=true",
                "-D" + PeakMemoryMain.PEAK_FILE + "=" + peakFile, "-cp", System.getProperty("java.class.path"),
                PeakMemoryMain.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
