package dev.danet.spark;

import dev.danet.DanetException;
import dev.danet.inference.LoadedModel;
import dev.danet.io.ModelLoader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkFiles;

/**
 * The models loaded in this JVM (an executor, or the driver in local mode), one per weights
 * file, loaded by the first task that needs it and shared by every task after it: a model is
 * loaded once per executor, not per image or per task. The executor's task threads run their
 * images on the one network concurrently (one inference per task slot); its weights are read
 * only. Kept until the JVM ends, as the executor's other caches.
 */
final class ExecutorModels {

    private static final Map<String, LoadedModel> LOADED = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /** The model in this file, loading it on first use; a file that does not load is a DanetException. */
    static LoadedModel get(String weights) {
        // computeIfAbsent blocks the other tasks while the first one loads: one load per JVM.
        return LOADED.computeIfAbsent(weights, w -> LoadedModel.load(locate(w), ModelLoader.Options.defaults(),
                new PrintStream(OutputStream.nullOutputStream())));
    }

    /** The file as given when it exists here, else the copy spark-submit --files shipped with the job. */
    static Path locate(String weights) {
        Path given = Path.of(weights);
        if (Files.isRegularFile(given)) {
            return given;
        }
        try {
            Path shipped = Path.of(SparkFiles.get(given.getFileName().toString()));
            if (Files.isRegularFile(shipped)) {
                return shipped;
            }
        } catch (RuntimeException noSparkFiles) {
            // Not inside a Spark application: only the path as given counts.
        }
        throw new DanetException(weights + ": no such model file here (on a cluster, pass a path every executor"
                + " can read, or ship the file with spark-submit --files)");
    }
}
