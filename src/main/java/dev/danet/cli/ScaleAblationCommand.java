package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.data.BadSamples;
import dev.danet.data.SegmentationDataset;
import dev.danet.train.Recipe;
import dev.danet.train.ScaleAblation;
import dev.danet.train.TrainConfig;
import dev.danet.train.TrainingListener;
import dev.danet.viz.TrainingPlots;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `danet scale-ablation`: the Attention-to-Scale experiment ({@link ScaleAblation}) from the command line. */
@Command(name = "scale-ablation",
        mixinStandardHelpOptions = true,
        description = {
            "Compare single-scale, average, max and attention fusion over input scales (Attention to Scale).",
            "",
            "Trains each variant of the scale-ablation recipe (recipes/scale-ablation.json: FCN on ResNet-18 at width "
                    + "16, scales 1, 0.75, 0.5, 300 steps of 8 crops of 128x256; flags override it) with the same "
                    + "seeds into --out/runs/<variant>-seed<N>/ (finished runs are reused, interrupted ones resumed), "
                    + "evaluates them on val and writes --out/results.md and results.json: mIoU per variant (mean and "
                    + "range over seeds), per-class IoU, each scale's own mIoU inside the multi-scale models, and the "
                    + "mean scale weight per class.",
            "",
            "Example: ./danet scale-ablation --data data/synth-96x192 --crop 96x192 \\",
            "           --seeds 1,2 --iterations 300"
        })
final class ScaleAblationCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Mixin
    ArchitectureOptions architecture;

    @Mixin
    RecipeOptions recipe;

    @Option(names = "--out", defaultValue = "out/scale-ablation", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--fusions", defaultValue = "single,average,max,attention", split = ",",
            description = "Variants: single (the base network alone), average, max, attention (default: ${DEFAULT-VALUE}).")
    List<String> fusions;

    @Option(names = "--seeds", defaultValue = "1,2", split = ",", description = "Seeds per variant (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--size-shifts", defaultValue = "0.5,1.5", split = ",", paramLabel = "F,F,...",
            description = "Also evaluate with the val images resized by these factors, i.e. objects at sizes unlike"
                    + " training's (default: ${DEFAULT-VALUE}; none: empty).")
    List<Double> sizeShifts;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (architecture.fusion != null) {
            throw new DanetException("--fusion: the scale ablation trains every fusion of --fusions");
        }
        PrintStream log = System.err;
        long start = System.nanoTime();
        BadSamples bad = data.badSamples();
        SegmentationDataset train = data.open("train", bad, log);
        SegmentationDataset val = SegmentationDataset.open(train.layoutId(), train.root(), "val", bad);
        Recipe base = recipe.recipe("scale-ablation");
        TrainConfig config = Flags.check(() -> recipe.configure(base, architecture, train)
                .seed(seeds.get(0)).build());
        ScaleAblation study = Flags.check(() -> new ScaleAblation(config, fusions));
        String table = study.run(seeds, sizeShifts, out, val, bad, ExecutionFlags.of(spec),
                (name, c) -> TrainingListener.all(new ProgressReporter(name), new TrainingPlots()), log);
        System.out.println(table);
        System.out.printf("scale ablation finished in %.1f min; results in %s%n", (System.nanoTime() - start) / 6e10,
                out.toAbsolutePath());
        return 0;
    }
}
