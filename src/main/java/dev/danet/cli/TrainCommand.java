package dev.danet.cli;

import dev.danet.data.BadSamples;
import dev.danet.data.SegmentationDataset;
import dev.danet.train.TrainConfig;
import dev.danet.train.Trainer;
import dev.danet.train.TrainingJob;
import dev.danet.train.TrainingListener;
import dev.danet.viz.TrainingPlots;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `danet train`: a recipe (the reference one unless told), configurable from the command line. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train DANet or a baseline (PAM-only, CAM-only, FCN) on a dataset.",
            "",
            "The reference recipe unless --recipe names another: SGD (momentum 0.9, weight decay 1e-4) with the poly "
                    + "schedule per iteration, head learning rate 10x the backbone's, cross-entropy on every output; "
                    + "flags override the recipe. Writes checkpoints (last.danet, resumable with --resume), the final "
                    + "model.danet, train-log.jsonl (with diagnostics lines), training-curves.png and "
                    + "training-diagnostics.png into --out. Without --data it trains on the built-in synthetic scenes.",
            "",
            "Example: ./danet train --recipe cityscapes --data cityscapes/ \\",
            "           --backbone-init resnet101.pth --out runs/danet101",
            "         ./danet train --recipe demo --model fcn --out runs/fcn",
            "Attention to Scale (one shared network at several input scales, fused per pixel):",
            "         ./danet train --model fcn --scales 1,0.75,0.5 --fusion attention ...",
            "(see docs/attention-to-scale.md)"
        })
final class TrainCommand implements Callable<Integer> {

    @Mixin
    ArchitectureOptions architecture;

    @Mixin
    RecipeOptions recipe;

    @Mixin
    DataOptions data;

    @Option(names = "--seed", description = "Random seed (reference: 1).")
    Long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder of the run.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint (its settings win).")
    boolean resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StopSignal.install();
        TrainConfig config = resume ? Trainer.savedConfig(out) : config();
        try (ProgressReporter progress = new ProgressReporter(config.model().head().id())) {
            TrainingListener listener = TrainingListener.all(progress, new TrainingPlots());
            BadSamples bad = data.badSamples();
            TrainingJob.Outcome outcome = TrainingJob.run(config, ExecutionFlags.of(spec), out, resume, bad, listener);
            progress.close();
            System.out.println(outcome.describe());
            DataOptions.printSkipped(bad, System.err);
        }
        return 0;
    }

    private TrainConfig config() {
        SegmentationDataset trainSet = data.open("train", data.badSamples(), System.err);
        TrainConfig.Builder config = recipe.configure(recipe.recipe(null), architecture, trainSet);
        if (seed != null) {
            config.seed(seed);
        }
        return Flags.check(config::build);
    }
}
