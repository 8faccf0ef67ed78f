package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's allocator choice (`DANET_SHOW_ENVIRONMENT=1 ./danet ...` prints it and stops before
 * building or starting anything): jemalloc for inference commands and the server, glibc's settings for
 * training and Spark, overridable with DANET_ALLOCATOR. DANET_JEMALLOC points the launcher at a stand-in
 * file, so the test does not depend on what this machine has installed.
 */
class LauncherAllocatorTest {

    @TempDir
    Path dir;

    private record Shown(int code, Map<String, String> environment, String err) {}

    private Shown show(String allocator, String... args) throws IOException, InterruptedException {
        Path library = dir.resolve("libjemalloc.so.2");
        if (!Files.exists(library)) {
            Files.writeString(library, "stand-in");
        }
        List<String> command = new ArrayList<>(List.of("bash", "danet"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.remove("LD_PRELOAD");
        env.remove("MALLOC_CONF");
        env.remove("DANET_ALLOCATOR");
        env.put("DANET_SHOW_ENVIRONMENT", "1");
        env.put("DANET_JEMALLOC", library.toString());
        if (allocator != null) {
            env.put("DANET_ALLOCATOR", allocator);
        }
        Path err = dir.resolve("err.txt");
        builder.redirectError(err.toFile());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        Map<String, String> shown = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                shown.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Shown(code, shown, Files.readString(err, StandardCharsets.UTF_8));
    }

    private void assertJemalloc(Shown shown, String what) {
        assertEquals(0, shown.code(), shown.err());
        assertEquals(dir.resolve("libjemalloc.so.2").toString(), shown.environment().get("LD_PRELOAD"), what);
        assertEquals("oversize_threshold:0", shown.environment().get("MALLOC_CONF"), what);
    }

    private void assertGlibc(Shown shown, String what) {
        assertEquals(0, shown.code(), shown.err());
        assertFalse(shown.environment().containsKey("LD_PRELOAD"), what + ": " + shown.environment());
        assertTrue(shown.environment().get("GLIBC_TUNABLES").contains("mmap_max=0"), what);
    }

    @Test
    void inferenceCommandsAndTheServerGetJemallocAndTrainingAndSparkKeepGlibc() throws Exception {
        assertJemalloc(show(null, "segment", "--weights", "m.danet", "a.png"), "segment");
        assertJemalloc(show(null, "eval", "--weights", "m.danet"), "eval");
        assertJemalloc(show(null, "serve", "--weights", "m.danet"), "serve");
        assertJemalloc(show(null, "bench", "--size", "512"), "bench, inference");
        // A global option's value is not the command.
        assertJemalloc(show(null, "--train-memory", "lean", "forward"), "forward after --train-memory lean");
        assertJemalloc(show(null, "--threads", "2", "--fold-batch-norm", "attention"), "attention");
        assertJemalloc(show(null, "--conv-algorithm", "winograd", "serve"), "serve after --conv-algorithm winograd");

        assertGlibc(show(null, "train", "--data", "d"), "train");
        assertGlibc(show(null, "--threads", "2", "demo"), "demo");
        assertGlibc(show(null, "--conv-algorithm", "direct", "train"), "train after --conv-algorithm direct");
        assertGlibc(show(null, "spark", "segment"), "spark");
        assertGlibc(show(null, "bench", "--mode", "train"), "bench --mode train");
        assertGlibc(show(null, "bench", "--mode=both"), "bench --mode=both");
        assertGlibc(show(null, "--train-memory=lean", "bench", "--train-memory-alternate"), "bench's training study");
    }

    @Test
    void danetAllocatorOverridesTheChoiceAndABadValueIsOneLineAndExitCode2() throws Exception {
        assertGlibc(show("glibc", "segment"), "DANET_ALLOCATOR=glibc");
        assertJemalloc(show("jemalloc", "train"), "DANET_ALLOCATOR=jemalloc");
        Shown bad = show("tcmalloc", "segment");
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("DANET_ALLOCATOR"), bad.err());
    }
}
