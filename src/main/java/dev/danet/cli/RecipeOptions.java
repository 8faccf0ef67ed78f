package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.data.SegmentationDataset;
import dev.danet.nn.HeadInit;
import dev.danet.train.Recipe;
import dev.danet.train.TrainConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * A training recipe and the flags that change it: each flag given overrides the recipe's value;
 * what neither sets is the reference recipe's (docs/training.md).
 */
final class RecipeOptions {

    @Option(names = "--recipe", paramLabel = "NAME|FILE",
            description = "Start from a recipe: demo, cityscapes, scale-ablation (recipes/*.json) or a JSON file with"
                    + " the fields of a saved train_config. Flags given override it; what neither sets is the"
                    + " reference recipe's, the values this help calls \"reference\" (docs/training.md).")
    String recipe;

    @Option(names = "--crop", paramLabel = "N|HxW",
            description = "Training crop: a side, or height x width like 512x1024 (reference: 512).")
    String crop;

    @Option(names = "--base-size", description = "Short side at scale 1 (default: the recipe's, else the crop's short side).")
    Integer baseSize;

    @Option(names = "--scale-range", split = ",", paramLabel = "MIN,MAX",
            description = "Random scale range (reference: 0.75,2.0; mmseg uses 0.5,2.0).")
    double[] scaleRange;

    @Option(names = "--batch", description = "Batch size (reference: 8).")
    Integer batch;

    @Option(names = "--iterations", description = "Optimiser steps (default: the recipe's, or from --epochs).")
    Integer iterations;

    @Option(names = "--epochs", description = "Passes over the training split (used when --iterations is not given).")
    Integer epochs;

    @Option(names = "--lr", description = "Base learning rate (reference: 0.003 for danet, 0.01 otherwise).")
    Double lr;

    @Option(names = "--head-lr-mult", description = "Head learning-rate factor (reference: 10).")
    Double headLrMultiplier;

    @Option(names = "--momentum", description = "SGD momentum (reference: 0.9).")
    Double momentum;

    @Option(names = "--weight-decay", description = "Weight decay (reference: 1e-4).")
    Double weightDecay;

    @Option(names = "--poly-power", description = "Poly schedule power (reference: 0.9).")
    Double power;

    @Option(names = "--loss-weights", split = ",", paramLabel = "F,P,C",
            description = "Loss weights of DANet's fused, PAM and CAM outputs (reference: 1,1,1).")
    double[] lossWeights;

    @Option(names = "--aux-weight", description = "Loss weight of the aux head (reference: 0.4).")
    Double auxWeight;

    @Option(names = "--scale-loss-weights", split = ",", paramLabel = "W[,W...]",
            description = "Loss weight of each scale's own score map (extra supervision): one for all or one per scale"
                    + " (reference: 1 for attention fusion, as the paper; 0 for average and max).")
    double[] scaleLossWeights;

    @Option(names = "--clip-grad-norm", paramLabel = "NORM",
            description = "Clip the global gradient norm (reference: 0, off).")
    Double clipGradNorm;

    @Option(names = "--backbone-init", paramLabel = "FILE",
            description = "Weights to initialise the backbone from: a torchvision ResNet or mmcv ResNetV1c .pth"
                    + " (ImageNet weights), or the backbone of any model file the loader reads (reference DANet,"
                    + " mmsegmentation, torchvision FCN, .danet). The stem and width must match.")
    Path backboneInit;

    @Option(names = "--workers", description = "Data-loading threads (reference: 2).")
    Integer workers;

    @Option(names = "--checkpoint-every", description = "Iterations between checkpoints (reference: 200).")
    Integer checkpointEvery;

    @Option(names = "--validate-every",
            description = "Iterations between validations on the val split (reference: 0, only at the end).")
    Integer validateEvery;

    @Option(names = "--diagnostics-every", paramLabel = "N",
            description = "Iterations between diagnostics lines in train-log.jsonl (each output's loss, gradient norm per"
                    + " module, attention scalars and rows; also at every gradient spike) and training-diagnostics.png;"
                    + " 0: none (reference: " + TrainConfig.DEFAULT_DIAGNOSTICS_EVERY + ").")
    Integer diagnosticsEvery;

    @Option(names = "--head-init", paramLabel = "KIND",
            description = "How the head's convolutions start: pytorch-default (uniform +-1/sqrt(fan-in), as the reference"
                    + " DANet's nn.Conv2d layers) or kaiming-fan-out (as the backbone, and every run before the setting"
                    + " existed; see docs/training.md) (reference: pytorch-default).")
    String headInit;

    /** The recipe named by --recipe, else the command's own (null: the reference recipe alone). */
    Recipe recipe(String commandRecipe) {
        String name = recipe != null ? recipe : commandRecipe;
        return name == null ? Recipe.reference() : Recipe.load(name);
    }

    /**
     * The configuration to train on the given split: the recipe for its classes, the architecture
     * flags over its model, the data, then every training flag given.
     */
    TrainConfig.Builder configure(Recipe start, ArchitectureOptions architecture, SegmentationDataset train) {
        TrainConfig.Builder b = start.builder(train.classes().size());
        b.model(architecture.applyTo(b.model())).dataset(train.layoutId()).dataRoot(train.root().toString());
        if (crop != null) {
            int[] size = Sizes.parseSquareOrRectangle(crop, "--crop");
            b.crop(size[0], size[1]);
        }
        if (scaleRange != null) {
            if (scaleRange.length != 2) {
                throw new DanetException("--scale-range takes two numbers, e.g. 0.75,2.0");
            }
            b.scaleRange(scaleRange[0], scaleRange[1]);
        }
        set(baseSize, b::baseSize);
        set(batch, b::batchSize);
        set(lr, b::baseLr);
        set(headLrMultiplier, b::headLrMultiplier);
        set(momentum, b::momentum);
        set(weightDecay, b::weightDecay);
        set(power, b::power);
        set(lossWeights, b::lossWeights);
        set(auxWeight, b::auxWeight);
        if (scaleLossWeights != null && !b.model().multiScale()) {
            throw new DanetException("--scale-loss-weights needs --scales, e.g. --scales 1,0.75,0.5");
        }
        set(scaleLossWeights, b::scaleLossWeights);
        set(clipGradNorm, b::maxGradNorm);
        set(backboneInit == null ? null : backboneInit.toString(), b::backboneInit);
        set(workers, b::workers);
        set(checkpointEvery, b::checkpointEvery);
        set(validateEvery, b::validateEvery);
        set(diagnosticsEvery, b::diagnosticsEvery);
        set(headInit == null ? null : Flags.check(() -> HeadInit.parse(headInit)), b::headInit);
        if (iterations != null) {
            b.iterations(iterations);
        } else if (epochs != null) {
            b.epochs(epochs, train.size());
        } else if (start.epochs() != null) {
            b.epochs(start.epochs(), train.size());
        } else if (!start.saysHowLong()) {
            throw new DanetException("say how long to train: --iterations N or --epochs N");
        }
        return b;
    }

    private static <T> void set(T value, java.util.function.Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
