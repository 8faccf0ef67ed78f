package dev.danet.spark;

import dev.danet.cli.InferenceFlags;
import dev.danet.eval.EvaluationResult;
import dev.danet.eval.MetricsTable;
import dev.danet.eval.ReportFiles;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `danet spark eval`: see {@link EvalJob}. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {
            "Evaluate a model on a dataset split on Spark: per-partition confusion matrices summed into one.",
            "",
            "Writes DIR/metrics.json and DIR/confusion.csv, the same as ./danet eval with the same flags.",
            "",
            "Example: ./danet spark eval --weights model.danet --data data/cityscapes --out out/spark-eval"
        })
final class SparkEvalCommand implements Callable<Integer> {

    @Mixin
    SparkOptions spark;

    @Mixin
    SparkModelOptions model;

    @Mixin
    InferenceFlags.WithReferenceDetails inference;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Dataset folder, readable by every executor.")
    Path data;

    @Option(names = "--dataset", defaultValue = "auto", paramLabel = "LAYOUT",
            description = "Dataset layout, as ./danet eval (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--split", defaultValue = "val", paramLabel = "NAME",
            description = "Split to evaluate (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--skip-bad",
            description = "Skip unusable samples and list them, instead of stopping at the first.")
    boolean skipBad;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
            description = "Pieces the split is cut into (default: four per task slot).")
    int partitions;

    @Option(names = "--out", defaultValue = "out/spark-eval", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        EvalJob.Request request = new EvalJob.Request(ModelSpec.of(model, inference), layout, data, split, skipBad, out, partitions);
        SparkSession session = spark.session("eval");
        try {
            EvaluationResult result = EvalJob.run(session, request);
            System.out.print(MetricsTable.format(result.metrics()));
            System.out.printf(Locale.ROOT, "%d images in %.1f s (%.2f s/image)%n", result.images(), result.seconds(),
                    result.secondsPerImage());
            System.out.println("wrote " + out.resolve(ReportFiles.METRICS) + " and " + out.resolve(ReportFiles.CONFUSION));
        } finally {
            session.stop();
        }
        return 0;
    }
}
