package dev.danet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import dev.danet.testing.LauncherEnvironment;
import dev.danet.testing.LoadMemoryMain;
import dev.danet.testing.TorchSaveFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What loading a PyTorch checkpoint costs the whole process, in a process of its own as ./danet
 * runs (its allocator settings included): afterwards the weights once, at the peak the file's bytes
 * besides them, plus a fixed allowance each. Loading used
 * to leave about five times the weights resident (the file's bytes on the Java heap, a float
 * copy of each tensor, and two direct ByteBuffers per tensor, one of which became the weight's
 * storage): 935 MB for DANet-ResNet-50's 190 MB (docs/performance.md, "Process memory").
 */
class LoadMemoryTest {

    /**
     * Code, classes, the Java heap and the allocator's slack, on top of the weights (measured: 63
     * MB after loading, 59 MB at the peak for these 86 MB of weights).
     */
    private static final long ALLOWANCE = 96L << 20;

    @TempDir
    Path dir;

    @Test
    void loadingKeepsTheWeightsOnceAndPeaksAtTheFileBesideThem() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "resident memory needs /proc");
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET34, 64, false, 8, false, HeadType.DANET, false, 19);
        Path file = dir.resolve("resnet34-danet.pth");
        long weights = 0;
        int tensors;
        try (Network network = Network.create(config)) {
            for (Parameter p : network.parameters().values()) {
                weights += p.getArray().size() * 4;
            }
            tensors = network.parameters().size();
            Files.write(file, TorchSaveFiles.zip(TorchSaveFiles.stateDict(network)));
        }
        long[] measured = loadInOwnProcess(file);
        long before = measured[0];
        long peak = measured[1];
        long after = measured[2];
        assertEquals(tensors, measured[3], "the whole model was loaded");
        String report = String.format("weights %d MB; resident %d MB before loading, peak %d MB, %d MB after",
                weights >> 20, before >> 20, peak >> 20, after >> 20);
        assertTrue(after - before < weights + ALLOWANCE, "resident growth: " + report);
        assertTrue(peak - before < 2 * weights + ALLOWANCE, "peak growth: " + report);
    }

    /** before, peak, after (bytes) and the parameter count, from {@link LoadMemoryMain}. */
    private long[] loadInOwnProcess(Path file) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve("load.out");
        Path err = dir.resolve("load.err");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), LoadMemoryMain.class.getName(), file.toString()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // As the ./danet launcher sets them.
        LauncherEnvironment.apply(builder);
        Process process = builder.start();
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the load finished");
        assertEquals(0, process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
        String[] fields = Files.readString(out, StandardCharsets.UTF_8).strip().split(" ");
        long[] values = new long[fields.length];
        for (int i = 0; i < fields.length; i++) {
            values[i] = Long.parseLong(fields[i]);
        }
        return values;
    }
}
