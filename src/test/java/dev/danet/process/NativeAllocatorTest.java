package dev.danet.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.DanetException;
import dev.danet.testing.FreedBufferMain;
import dev.danet.testing.LauncherEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the launcher's allocator settings freed 30 MB buffers below live ones stay resident (a
 * heap shrinks only from its top: how a training step's heap grows far beyond what it holds);
 * switched for training, they leave the process when freed. Each in a process of its
 * own, with the launcher's GLIBC_TUNABLES.
 */
class NativeAllocatorTest {

    private static final long BUFFER = 8 * (30L << 20);

    @TempDir
    Path dir;

    @Test
    void aFreedLargeBufferLeavesATrainingProcessButStaysInAnInferenceOne() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "resident memory needs /proc");
        String[] inference = run("inference");
        String[] training = run("training");
        assertEquals("false", inference[0]);
        assertEquals("true", training[0], "mallopt is reached through JNA and accepted by glibc");
        long[] held = bytes(inference);
        long[] freed = bytes(training);
        String report = String.format("resident MB before / with the buffer / after freeing it: inference %d/%d/%d,"
                + " training %d/%d/%d", held[0] >> 20, held[1] >> 20, held[2] >> 20, freed[0] >> 20,
                freed[1] >> 20, freed[2] >> 20);
        assertTrue(held[1] - held[0] > BUFFER * 9 / 10 && freed[1] - freed[0] > BUFFER * 9 / 10,
                "both filled the buffers: " + report);
        assertTrue(held[2] - held[0] > BUFFER * 9 / 10, "the launcher's heap keeps them: " + report);
        assertTrue(freed[2] - freed[0] < BUFFER / 8, "a training process gives them back: " + report);
    }

    private static long[] bytes(String[] fields) {
        return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3])};
    }

    @Test
    void theThresholdIsFourMegabytesUnlessThePropertySaysOtherwiseWithinGlibcsRange() {
        String before = System.getProperty("danet.trainingMmapThresholdMb");
        try {
            System.clearProperty("danet.trainingMmapThresholdMb");
            assertEquals(4 << 20, NativeAllocator.mmapThreshold());
            System.setProperty("danet.trainingMmapThresholdMb", "16");
            assertEquals(16 << 20, NativeAllocator.mmapThreshold());
            for (String bad : List.of("0", "33", "4MB")) {
                System.setProperty("danet.trainingMmapThresholdMb", bad);
                DanetException error = assertThrows(DanetException.class, NativeAllocator::mmapThreshold);
                assertTrue(error.getMessage().contains("'" + bad + "'"), error.getMessage());
            }
        } finally {
            if (before == null) {
                System.clearProperty("danet.trainingMmapThresholdMb");
            } else {
                System.setProperty("danet.trainingMmapThresholdMb", before);
            }
        }
    }

    private String[] run(String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve(mode + ".out");
        Path err = dir.resolve(mode + ".err");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), FreedBufferMain.class.getName(), mode))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        LauncherEnvironment.apply(builder);
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the process finished");
        assertEquals(0, process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
        return Files.readString(out, StandardCharsets.UTF_8).strip().split(" ");
    }
}
