package dev.danet.spark;

import dev.danet.data.BadSamples;
import dev.danet.data.SegmentationDataset;
import dev.danet.eval.EvaluationResult;
import dev.danet.eval.Evaluator;
import dev.danet.inference.LoadedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Evaluates one partition of a split's sample indices with the executor's model: the same
 * {@link Evaluator} as `./danet eval`, over this partition's samples only. Unloadable samples
 * are recorded, never thrown: the driver applies --skip-bad.
 */
final class EvalTask implements FlatMapFunction<Iterator<Integer>, PartitionScore> {

    /** Datasets listed in this JVM, by layout, folder and split: listed once per executor. */
    private static final Map<String, SegmentationDataset> DATASETS = new ConcurrentHashMap<>();

    private final ModelSpec model;
    private final String layout;
    private final String root;
    private final String split;

    EvalTask(ModelSpec model, String layout, String root, String split) {
        this.model = model;
        this.layout = layout;
        this.root = root;
        this.split = split;
    }

    @Override
    public Iterator<PartitionScore> call(Iterator<Integer> indices) {
        List<Integer> mine = new ArrayList<>();
        indices.forEachRemaining(mine::add);
        SegmentationDataset dataset = DATASETS.computeIfAbsent(layout + "\n" + root + "\n" + split,
                key -> SegmentationDataset.open(layout, Path.of(root), split, new BadSamples(BadSamples.Policy.SKIP)));
        try (ModelPool<ExecutorModels.Key, LoadedModel>.Lease lease = ExecutorModels.forTask(model)) {
            LoadedModel loaded = lease.model();
            Evaluator evaluator = Evaluator.of(loaded.network(), loaded.card().normalization(),
                    model.options(loaded.card()));
            BadSamples bad = new BadSamples(BadSamples.Policy.SKIP);
            EvaluationResult result = evaluator.evaluate(dataset.classes().names(), mine.size(),
                    i -> dataset.load(mine.get(i)), bad, Evaluator.Progress.NONE, Evaluator.PredictionSink.NONE);
            return List.of(PartitionScore.of(result, bad.problems())).iterator();
        }
    }
}
