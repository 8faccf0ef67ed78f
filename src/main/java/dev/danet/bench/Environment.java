package dev.danet.bench;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a benchmark ran on, recorded beside its numbers. */
public final class Environment {

    private Environment() {}

    public static Map<String, Object> describe() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cpu", cpuModel());
        env.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        env.put("libtorchThreads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        Engine engine = Engine.getInstance();
        env.put("engine", engine.getEngineName() + " " + engine.getVersion());
        env.put("djl", Engine.getDjlVersion());
        return env;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
        return System.getProperty("os.arch");
    }
}
