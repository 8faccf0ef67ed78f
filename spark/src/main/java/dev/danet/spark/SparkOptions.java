package dev.danet.spark;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * Where the job runs: embedded in this JVM (local[*] unless --master says otherwise), or, under
 * spark-submit, wherever spark-submit says.
 */
final class SparkOptions {

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N] / local[*] runs Spark embedded in this process (default: local[*],"
                    + " or spark-submit's --master when launched by it).")
    String master;

    /** A session for the named job; the caller stops it. */
    SparkSession session(String job) {
        SparkSession.Builder builder = SparkSession.builder().appName("danet " + job);
        String chosen = master != null ? master : System.getProperty("spark.master") == null ? "local[*]" : null;
        if (chosen != null) {
            builder.master(chosen);
        }
        if (chosen != null && chosen.startsWith("local")) {
            // Embedded: no web UI to serve, and libtorch's threads shared out between the task slots.
            builder.config("spark.ui.enabled", "false");
            threadsPerTask(chosen);
        }
        return builder.getOrCreate();
    }

    /**
     * Intra-op threads for each task's inference so that the task slots together use the cores
     * once (two slots with libtorch's default two threads each would oversubscribe two cores).
     * Set before the engine starts; an explicit -Dai.djl.pytorch.num_threads wins.
     */
    private static void threadsPerTask(String localMaster) {
        if (System.getProperty("ai.djl.pytorch.num_threads") != null) {
            return;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+|\\*)").matcher(localMaster);
        int slots = !m.find() ? 1 : m.group(1).equals("*") ? cores : Integer.parseInt(m.group(1));
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(Math.max(1, cores / Math.max(1, slots))));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
}
