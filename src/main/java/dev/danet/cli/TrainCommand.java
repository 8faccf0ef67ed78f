package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.data.SegmentationDataset;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.ResNetDepth;
import dev.danet.nn.Stem;
import dev.danet.train.TrainConfig;
import dev.danet.train.TrainingJob;
import dev.danet.train.Trainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `danet train`: the reference recipe, configurable from the command line. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train DANet or a baseline (PAM-only, CAM-only, FCN) on a dataset.",
            "",
            "SGD (momentum 0.9, weight decay 1e-4) with the poly schedule per iteration, head learning rate 10x "
                    + "the backbone's, cross-entropy on every output. Writes checkpoints (last.danet, resumable with "
                    + "--resume), the final model.danet, train-log.jsonl (with diagnostics lines), training-curves.png "
                    + "and training-diagnostics.png into --out. Without --data it trains on the built-in synthetic "
                    + "scenes.",
            "",
            "Example: ./danet train --model danet --backbone resnet50 --data cityscapes/ \\",
            "           --crop 768 --batch 8 --iterations 90000 --lr 0.003 --multi-grid \\",
            "           --out runs/danet",
            "Attention to Scale (one shared network at several input scales, fused per pixel):",
            "         ./danet train --model fcn --scales 1,0.75,0.5 --fusion attention ...",
            "(see docs/attention-to-scale.md)"
        })
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "danet", description = "danet, pam, cam or fcn (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--backbone", defaultValue = "resnet50",
            description = "resnet18, resnet34, resnet50, resnet101 or resnet152 (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--width", defaultValue = "64",
            description = "Channels of the first ResNet stage; 64 is torchvision's, smaller is CPU-sized (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--deep-stem", description = "Three 3x3 convolutions instead of the 7x7 stem (= --stem deep).")
    boolean deepStem;

    @Option(names = "--stem", paramLabel = "7x7|deep|v1c",
            description = "The layers before the max pool: 7x7 (torchvision), deep (3x3 convs to w, w, 2w, as the"
                    + " reference's deep base) or v1c (3x3 convs to w/2, w/2, w, as mmsegmentation's ResNetV1c;"
                    + " use it with --backbone-init from an mmseg or mmcv V1c file). Default: 7x7.")
    String stem;

    @Option(names = "--output-stride", defaultValue = "8", description = "8 or 16 (default: ${DEFAULT-VALUE}).")
    int outputStride;

    @Option(names = "--multi-grid", description = "Multi-grid dilations (4, 8, 16) in layer4.")
    boolean multiGrid;

    @Option(names = "--aux", description = "Auxiliary FCN head on layer3 (mmseg style).")
    boolean aux;

    @Option(names = "--aux-weight", defaultValue = "0.4", description = "Loss weight of the aux head (default: ${DEFAULT-VALUE}).")
    double auxWeight;

    @Option(names = "--loss-weights", defaultValue = "1,1,1", split = ",",
            description = "Loss weights of DANet's fused, PAM and CAM outputs (default: ${DEFAULT-VALUE}).")
    double[] lossWeights;

    @Option(names = "--scales", split = ",", paramLabel = "S,S,...",
            description = "Attention to Scale: run one shared network on the input at each scale and fuse the score"
                    + " maps, e.g. 1,0.75,0.5 as the paper (default: single scale). Saved with the model.")
    double[] scales;

    @Option(names = "--fusion", paramLabel = "KIND",
            description = "How --scales are fused: attention (learned per-pixel weights), average or max"
                    + " (default: attention).")
    String fusion;

    @Option(names = "--scale-loss-weights", split = ",", paramLabel = "W[,W...]",
            description = "Loss weight of each scale's own score map (extra supervision): one for all or one per scale"
                    + " (default: 1 for attention fusion, as the paper; 0 for average and max).")
    double[] scaleLossWeights;

    @Mixin
    DataOptions data;

    @Option(names = "--crop", defaultValue = "512", paramLabel = "N|HxW",
            description = "Training crop: a side, or height x width like 512x1024 (default: ${DEFAULT-VALUE}).")
    String crop;

    @Option(names = "--base-size", description = "Short side at scale 1 (default: the crop's short side).")
    Integer baseSize;

    @Option(names = "--scale-range", defaultValue = "0.75,2.0", split = ",",
            description = "Random scale range (default: ${DEFAULT-VALUE}, as the reference; mmseg uses 0.5,2.0).")
    double[] scaleRange;

    @Option(names = "--batch", defaultValue = "8", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--iterations", description = "Optimiser steps (default: from --epochs).")
    Integer iterations;

    @Option(names = "--epochs", description = "Passes over the training split (used when --iterations is not given).")
    Integer epochs;

    @Option(names = "--lr", description = "Base learning rate (default: 0.003 for danet, 0.01 otherwise, as the reference).")
    Double lr;

    @Option(names = "--head-lr-mult", defaultValue = "10", description = "Head learning-rate factor (default: ${DEFAULT-VALUE}).")
    double headLrMultiplier;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "1e-4", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--poly-power", defaultValue = "0.9", description = "Poly schedule power (default: ${DEFAULT-VALUE}).")
    double power;

    @Option(names = "--clip-grad-norm", defaultValue = "0", paramLabel = "NORM",
            description = "Clip the global gradient norm (default: off, as the reference).")
    double clipGradNorm;

    @Option(names = "--backbone-init", paramLabel = "FILE",
            description = "Weights to initialise the backbone from: a torchvision ResNet or mmcv ResNetV1c .pth"
                    + " (ImageNet weights), or the backbone of any model file the loader reads (reference DANet,"
                    + " mmsegmentation, torchvision FCN, .danet). The stem and width must match.")
    Path backboneInit;

    @Option(names = "--workers", defaultValue = "2", description = "Data-loading threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Iterations between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--validate-every", defaultValue = "0",
            description = "Iterations between validations on the val split (default: only at the end).")
    int validateEvery;

    @Option(names = "--diagnostics-every", defaultValue = "" + TrainConfig.DEFAULT_DIAGNOSTICS_EVERY, paramLabel = "N",
            description = "Iterations between diagnostics lines in train-log.jsonl (each output's loss, gradient norm per"
                    + " module, attention scalars and rows; also at every gradient spike) and training-diagnostics.png;"
                    + " 0: none (default: ${DEFAULT-VALUE}).")
    int diagnosticsEvery;

    @Option(names = "--head-init", defaultValue = TrainConfig.DEFAULT_HEAD_INIT_ID, paramLabel = "KIND",
            description = "How the head's convolutions start: pytorch-default (uniform +-1/sqrt(fan-in), as the reference"
                    + " DANet's nn.Conv2d layers) or kaiming-fan-out (as the backbone, and every run before the setting existed;"
                    + " see docs/training.md)"
                    + " (default: ${DEFAULT-VALUE}).")
    String headInit;

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
            TrainingJob.Outcome outcome = TrainingJob.run(config, ExecutionFlags.of(spec), out, resume, data.badSamples(), progress);
            progress.close();
            System.out.println(outcome.describe());
        }
        return 0;
    }

    private TrainConfig config() {
        if (scaleRange.length != 2) {
            throw new DanetException("--scale-range takes two numbers, e.g. 0.75,2.0");
        }
        SegmentationDataset trainSet = data.open("train", data.badSamples(), System.err);
        int steps;
        if (iterations != null) {
            steps = iterations;
        } else if (epochs != null) {
            steps = epochs * Math.max(1, trainSet.size() / batch);
        } else {
            throw new DanetException("say how long to train: --iterations N or --epochs N");
        }
        HeadType head = parse(() -> HeadType.parse(model));
        Stem chosenStem = stem != null ? parse(() -> Stem.parse(stem)) : deepStem ? Stem.DEEP : Stem.CONV7;
        if (deepStem && chosenStem != Stem.DEEP) {
            throw new DanetException("--deep-stem and --stem " + stem + " disagree; give one");
        }
        ModelConfig modelConfig = parse(() -> new ModelConfig(ResNetDepth.parse(backbone), width, deepStem,
                outputStride, multiGrid, head, aux, trainSet.classes().size())
                .withStem(chosenStem)
                .withScales(scaleConfig(scales, fusion)));
        if (scales == null && (scaleLossWeights != null || fusion != null)) {
            throw new DanetException((fusion != null ? "--fusion" : "--scale-loss-weights")
                    + " needs --scales, e.g. --scales 1,0.75,0.5");
        }
        double rate = lr != null ? lr : TrainConfig.referenceLr(head);
        int[] cropSize = Sizes.parseSquareOrRectangle(crop, "--crop");
        int base = baseSize != null ? baseSize : Math.min(cropSize[0], cropSize[1]);
        return parse(() -> new TrainConfig(modelConfig, trainSet.layoutId(), trainSet.root().toString(), cropSize[0],
                cropSize[1], base, scaleRange[0], scaleRange[1], batch, steps, rate,
                headLrMultiplier, momentum, weightDecay, power, lossWeights, auxWeight, seed, workers,
                checkpointEvery, validateEvery, backboneInit == null ? null : backboneInit.toString(),
                clipGradNorm, scaleLossWeights, diagnosticsEvery, dev.danet.nn.HeadInit.parse(headInit)));
    }

    /** The wrapper's configuration from --scales and --fusion; null without --scales. */
    static dev.danet.nn.ScaleConfig scaleConfig(double[] scales, String fusion) {
        if (scales == null) {
            return null;
        }
        return parse(() -> new dev.danet.nn.ScaleConfig(java.util.Arrays.stream(scales).boxed().toList(),
                fusion == null ? dev.danet.nn.ScaleFusion.ATTENTION : dev.danet.nn.ScaleFusion.parse(fusion)));
    }

    private static <T> T parse(java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new DanetException(e.getMessage());
        }
    }
}
