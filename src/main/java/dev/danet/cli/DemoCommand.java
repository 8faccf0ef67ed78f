package dev.danet.cli;

import dev.danet.data.BadSamples;
import dev.danet.data.LabeledImage;
import dev.danet.data.SegmentationDataset;
import dev.danet.synth.SyntheticScenes;
import dev.danet.eval.EvaluationResult;
import dev.danet.eval.Evaluator;
import dev.danet.inference.InferenceOptions;
import dev.danet.io.ModelLoader;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.HeadInit;
import dev.danet.nn.HeadType;
import dev.danet.nn.Network;
import dev.danet.train.Ablation;
import dev.danet.train.AblationReport;
import dev.danet.train.Recipe;
import dev.danet.train.TrainConfig;
import dev.danet.train.TrainingListener;
import dev.danet.viz.ComparisonSheet;
import dev.danet.viz.Images;
import dev.danet.viz.TrainingPlots;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job on the built-in data: generate the synthetic scenes, train the ablation's
 * models with the same CPU-sized recipe, evaluate them, and write the results table, the
 * training curves and segmented pictures into one folder.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Train and compare FCN and DANet on the built-in synthetic scenes (the main job).",
            "",
            "Generates the synthetic street scenes (data/synthetic), trains each model with the same CPU-sized "
                    + "recipe, recipes/demo.json (ResNet-18 at width 16, output stride 8, crop 128x256, batch 8; the same as "
                    + "train --recipe demo), evaluates them on the "
                    + "validation split and writes into --out: results.md and results.json (the ablation table), "
                    + "runs/<model>-seed<N>/ (checkpoints, train-log.jsonl, training-curves.png, "
                    + "training-diagnostics.png) and predictions.png "
                    + "(photo, truth and each model's segmentation). Interrupted? Run it again: finished models are "
                    + "reused and the others resumed."
        })
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "out/demo", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--models", defaultValue = "fcn,danet", split = ",",
            description = "Heads to compare: fcn, pam, cam, danet (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--seeds", defaultValue = "1", split = ",",
            description = "Seeds per model (default: ${DEFAULT-VALUE}); two or more show the spread.")
    List<Long> seeds;

    @Option(names = "--iterations", description = "Training steps per model (default: the demo recipe's, 800).")
    Integer iterations;

    @Option(names = "--lr",
            description = "Base learning rate, the same for every model (default: the demo recipe's, 0.01).")
    Double lr;

    @Option(names = "--clip-grad-norm",
            description = "Global gradient-norm clip, the same for every model (default: the demo recipe's, 5; 0: off).")
    Double clipGradNorm;

    @Option(names = "--head-init", paramLabel = "KIND",
            description = "How the heads' convolutions start: pytorch-default (as the reference DANet, the default) or"
                    + " kaiming-fan-out (what runs used before; see docs/training.md).")
    String headInit;

    @Option(names = "--pictures", defaultValue = "4", description = "Validation images in predictions.png (default: ${DEFAULT-VALUE}).")
    int pictures;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StopSignal.install();
        PrintStream log = System.err;
        long start = System.nanoTime();
        Path data = DataOptions.DEFAULT_SYNTHETIC;
        log.println(SyntheticScenes.generate(data, SyntheticScenes.Options.defaults()));
        BadSamples bad = BadSamples.failFast();
        SegmentationDataset train = SegmentationDataset.open("cityscapes", data, "train", bad);
        SegmentationDataset val = SegmentationDataset.open("cityscapes", data, "val", bad);
        List<HeadType> heads = models.stream().map(HeadType::parse).toList();
        TrainConfig.Builder template = Recipe.load("demo").builder(train.classes().size()).dataset("cityscapes")
                .dataRoot(data.toString()).seed(seeds.get(0));
        template.model(template.model().withHead(heads.get(0))); // the one results.json names
        if (iterations != null) {
            template.iterations(iterations);
        }
        if (lr != null) {
            template.baseLr(lr);
        }
        if (clipGradNorm != null) {
            template.maxGradNorm(clipGradNorm);
        }
        if (headInit != null) {
            template.headInit(Flags.check(() -> HeadInit.parse(headInit)));
        }
        TrainConfig recipe = Flags.check(template::build);
        ExecutionOptions execution = ExecutionFlags.of(spec);
        List<Ablation.Entry> entries = Ablation.run(Ablation.heads(recipe, heads), seeds, out.resolve("runs"), bad,
                execution, (name, config) -> TrainingListener.all(new ProgressReporter(name), new TrainingPlots()));

        List<String> titles = new ArrayList<>(List.of("photo", "ground truth"));
        List<List<int[]>> predictions = new ArrayList<>();
        List<EvaluationResult> evaluations = new ArrayList<>();
        List<LabeledImage> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(pictures, val.size()); i++) {
            shown.add(val.load(i));
            predictions.add(new ArrayList<>());
        }
        for (HeadType head : heads) {
            Ablation.Entry first = entries.stream().filter(e -> e.name().equals(head.id())).findFirst().orElseThrow();
            try (Network network = ModelLoader.load(first.model(), ModelLoader.Options.defaults().withExecution(execution), log).setInferenceOnly(true)) {
                evaluations.add(Evaluator.of(network, InferenceOptions.singleScale(1024)).evaluate(val));
                for (int i = 0; i < shown.size(); i++) {
                    predictions.get(i).add(predict(network, shown.get(i)));
                }
            }
            titles.add(head.id() + " (seed " + first.seed() + ")");
        }
        List<ComparisonSheet.Row> rows = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            rows.add(new ComparisonSheet.Row(shown.get(i).image(), shown.get(i).label().values(), predictions.get(i)));
        }
        Images.writePng(out.resolve("predictions.png"), ComparisonSheet.draw(titles, rows, val.classes()));
        String table = AblationReport.write(out, recipe, entries, heads, evaluations, val.classes());
        System.out.println(table);
        System.out.printf("demo finished in %.1f min; results in %s (results.md, predictions.png, runs/*/training-curves.png)%n",
                (System.nanoTime() - start) / 6e10, out.toAbsolutePath());
        return 0;
    }

    private static int[] predict(Network network, LabeledImage sample) {
        try (var scope = network.manager().newSubManager()) {
            var image = scope.create(dev.danet.data.Normalization.toChw(sample.image()),
                    new ai.djl.ndarray.types.Shape(1, 3, sample.image().height(), sample.image().width()));
            return network.predict(image).argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
        }
    }

}
