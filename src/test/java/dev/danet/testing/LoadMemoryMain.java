package dev.danet.testing;

import ai.djl.engine.Engine;
import dev.danet.io.ModelLoader;
import dev.danet.nn.Network;
import dev.danet.process.ProcessMemory;
import java.nio.file.Path;

/**
 * Loads one weights file in a process of its own and prints, on one line, the resident memory
 * before loading (JVM and engine started), the peak while loading and the resident memory after,
 * in bytes: what loading costs the process. The heap the file passed through is handed back by
 * then ({@link ModelLoader#open}).
 */
public final class LoadMemoryMain {

    private LoadMemoryMain() {}

    /**
     * The resident memory once it has stopped falling: G1 hands memory back a moment after the
     * collection that freed it, on a thread of its own. Polls until three readings in a row are
     * within a megabyte of the lowest so far, or for 10 seconds.
     */
    private static long settledResidentBytes() throws InterruptedException {
        long lowest = ProcessMemory.residentBytes();
        int steady = 0;
        for (int i = 0; i < 50 && steady < 3; i++) {
            Thread.sleep(200);
            long now = ProcessMemory.residentBytes();
            steady = now > lowest - (1 << 20) ? steady + 1 : 0;
            lowest = Math.min(lowest, now);
        }
        return lowest;
    }

    public static void main(String[] args) throws InterruptedException {
        Engine.getInstance().defaultDevice();
        System.gc();
        long before = ProcessMemory.residentBytes();
        ProcessMemory.resetPeak();
        try (Network network = ModelLoader.load(Path.of(args[0]), ModelLoader.Options.defaults(), System.err)) {
            long peak = ProcessMemory.peakBytes();
            long after = settledResidentBytes();
            System.out.println(before + " " + peak + " " + after + " " + network.parameters().size());
        }
    }
}
