package dev.danet.spark;

import dev.danet.DanetException;
import dev.danet.inference.LoadedModel;
import dev.danet.io.ModelLoader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The models of this JVM (an executor, or the driver in local mode): one per task slot that
 * runs at once, each lent to one task for the whole task ({@link ModelPool}). A model is loaded
 * once per slot, not per image or per task, and runs one inference at a time; the slots run
 * theirs side by side, each with its share of the cores (docs/scale-out.md says why one model
 * per slot rather than one shared model behind a lock).
 */
final class ExecutorModels {

    /** What names a loaded model: its file and how it was loaded. */
    record Key(String weights, ModelLoader.Options options) {}

    private static final ModelPool<Key, LoadedModel> POOL = new ModelPool<>(key -> LoadedModel.load(
            locate(key.weights()), key.options(), new PrintStream(OutputStream.nullOutputStream())));

    private ExecutorModels() {}

    /**
     * A model for the running task's partition: the task's own until it closes the lease when the
     * partition is done, or until the task ends, whichever comes first (then it goes back to the
     * pool for this slot's next partition). A file that does not load is a DanetException.
     */
    static ModelPool<Key, LoadedModel>.Lease forTask(ModelSpec spec) {
        ModelPool<Key, LoadedModel>.Lease lease = POOL.borrow(key(spec));
        TaskContext.get().addTaskCompletionListener((TaskCompletionListener) task -> lease.close());
        return lease;
    }

    /**
     * A model for the driver to check the file and read what it predicts, given back when the
     * lease is closed: in local mode it is then the first task's.
     */
    static ModelPool<Key, LoadedModel>.Lease forDriver(ModelSpec spec) {
        return POOL.borrow(key(spec));
    }

    /** How many models of the spec this JVM has loaded. */
    static int loads(ModelSpec spec) {
        return POOL.loads(key(spec));
    }

    private static Key key(ModelSpec spec) {
        return new Key(spec.weights(), spec.loaderOptions());
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
