package dev.danet.spark;

import dev.danet.DanetException;
import dev.danet.data.BadSamples;
import dev.danet.data.SegmentationDataset;
import dev.danet.eval.ConfusionMatrix;
import dev.danet.eval.EvaluationReport;
import dev.danet.eval.EvaluationResult;
import dev.danet.eval.ReportFiles;
import dev.danet.eval.SegmentationMetrics;
import dev.danet.inference.InferenceOptions;
import dev.danet.inference.LoadedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * `danet spark eval`: the split's samples spread over partitions, each partition's confusion
 * matrix computed where it runs, summed into one on the driver, and the same metrics.json and
 * confusion.csv as `./danet eval` written from it. The dataset folder must be readable by
 * every executor (local in local mode, shared storage on a cluster).
 */
public final class EvalJob {

    /**
     * @param model the model and how to run it
     * @param layout dataset layout id (auto, cityscapes, ...)
     * @param data dataset folder
     * @param split split name
     * @param skipBad skip unloadable samples and list them, instead of failing at the first
     * @param out the report folder (on the driver)
     * @param partitions how many pieces the split is cut into; 0: four per task slot
     */
    public record Request(ModelSpec model, String layout, Path data, String split, boolean skipBad, Path out,
            int partitions) {}

    private EvalJob() {}

    public static EvaluationResult run(SparkSession spark, Request request) {
        long start = System.nanoTime();
        BadSamples bad = new BadSamples(request.skipBad() ? BadSamples.Policy.SKIP : BadSamples.Policy.FAIL);
        SegmentationDataset dataset = SegmentationDataset.open(request.layout(), request.data(), request.split(), bad);
        int classes = dataset.classes().size();
        String modelDescription;
        InferenceOptions options;
        // In local mode the first task then runs the driver's copy.
        try (ModelPool<ExecutorModels.Key, LoadedModel>.Lease lease = ExecutorModels.forDriver(request.model())) {
            LoadedModel model = lease.model();
            int modelClasses = model.network().config().classes();
            if (modelClasses != classes) {
                throw new DanetException(request.model().weights() + ": the model predicts " + modelClasses
                        + " classes but the " + dataset.layoutId() + " dataset at " + dataset.root() + " has "
                        + classes + " classes");
            }
            modelDescription = model.network().config().describe();
            options = request.model().options(model.card());
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = request.partitions() > 0 ? request.partitions() : 4 * context.defaultParallelism();
        List<Integer> indices = IntStream.range(0, dataset.size()).boxed().toList();
        EvalTask task = new EvalTask(request.model(), dataset.layoutId(), dataset.root().toAbsolutePath().toString(),
                dataset.split());
        // Partition results come back in partition order: problems are listed in sample order, as eval lists them.
        List<PartitionScore> parts = context.parallelize(indices, Math.max(1, Math.min(partitions, indices.size())))
                .mapPartitions(task).collect();
        PartitionScore total = parts.stream().reduce(PartitionScore.empty(classes), PartitionScore::plus);
        for (String problem : total.problems()) {
            bad.report(new DanetException(problem)); // stops at the first when --skip-bad was not given
        }
        ConfusionMatrix confusion = ConfusionMatrix.of(total.rows());
        EvaluationResult result = new EvaluationResult(SegmentationMetrics.of(confusion, dataset.classes().names()),
                confusion, total.images(), total.skipped(), (System.nanoTime() - start) / 1e9,
                total.inferenceSeconds());
        EvaluationReport report = EvaluationReport.of(modelDescription,
                Path.of(request.model().weights()), dataset, options, result, bad.problems());
        ReportFiles.write(request.out(), report, confusion);
        return result;
    }
}
