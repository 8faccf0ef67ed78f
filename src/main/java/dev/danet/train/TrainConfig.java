package dev.danet.train;

import dev.danet.nn.HeadInit;
import dev.danet.nn.ModelConfig;

/**
 * Everything a training run depends on; saved with its checkpoints, so that a resumed run
 * continues with exactly the same settings.
 *
 * @param model the network to train
 * @param dataset dataset layout id ("cityscapes", "folder", ..., "auto")
 * @param dataRoot dataset folder
 * @param cropHeight crop height
 * @param cropWidth crop width
 * @param baseSize short side at augmentation scale 1
 * @param minScale smallest random scale
 * @param maxScale largest random scale
 * @param batchSize images per step
 * @param iterations optimiser steps of the whole run
 * @param baseLr backbone learning rate at iteration 0
 * @param headLrMultiplier learning-rate factor for everything outside the backbone (10, as the reference)
 * @param momentum SGD momentum
 * @param weightDecay L2 weight decay (all parameters, as the reference)
 * @param power exponent of the poly schedule
 * @param lossWeights weight of each head output's loss (DANet: fused, PAM, CAM)
 * @param auxWeight weight of the auxiliary head's loss, when the model has one
 * @param seed seeds initialisation, data order, augmentation and dropout
 * @param workers data-loading threads
 * @param checkpointEvery iterations between checkpoints
 * @param validateEvery iterations between validations (0: only at the end)
 * @param backboneInit optional torchvision ResNet .pth initialising the backbone (null: random)
 * @param maxGradNorm clip the global gradient norm to this (0: no clipping, as the reference)
 * @param scaleLossWeights multi-scale models only: weight of each scale's own loss (the paper's
 *        extra supervision), one per scale or one for all; null: 1 for attention fusion, which the
 *        paper found essential, 0 for average and max fusion
 * @param diagnosticsEvery iterations between diagnostics lines in the training log (each output's
 *        loss, gradient norm per module, attention scalars, how the attention rows look; see
 *        {@link TrainingDiagnostics}); 0: none. Configurations saved before it existed read as 0.
 * @param headInit how the head's convolutions start (see {@link HeadInit}); configurations saved
 *        before it existed read as {@link HeadInit#KAIMING_FAN_OUT}, which they were trained with
 */
public record TrainConfig(
        ModelConfig model,
        String dataset,
        String dataRoot,
        int cropHeight,
        int cropWidth,
        int baseSize,
        double minScale,
        double maxScale,
        int batchSize,
        int iterations,
        double baseLr,
        double headLrMultiplier,
        double momentum,
        double weightDecay,
        double power,
        double[] lossWeights,
        double auxWeight,
        long seed,
        int workers,
        int checkpointEvery,
        int validateEvery,
        String backboneInit,
        double maxGradNorm,
        double[] scaleLossWeights,
        int diagnosticsEvery,
        HeadInit headInit) {

    /**
     * Diagnostics every this many iterations unless told otherwise: a line costs about 4% of a
     * demo step (docs/training.md), 0.4% of the run at this interval.
     */
    public static final int DEFAULT_DIAGNOSTICS_EVERY = 10;

    /**
     * The head initialisation of a new run unless told otherwise: the reference DANet's (see
     * {@link HeadInit#PYTORCH_DEFAULT} and docs/training.md, "Why DANet training was unstable").
     */
    public static final HeadInit DEFAULT_HEAD_INIT = HeadInit.PYTORCH_DEFAULT;
    /** {@link #DEFAULT_HEAD_INIT}'s id, for command-line defaults. */
    public static final String DEFAULT_HEAD_INIT_ID = "pytorch-default";

    @com.fasterxml.jackson.annotation.JsonCreator
    public TrainConfig {
        headInit = headInit == null ? HeadInit.KAIMING_FAN_OUT : headInit;
        if (iterations < 1 || batchSize < 1 || cropHeight < 8 || cropWidth < 8) {
            throw new IllegalArgumentException("iterations and batch size must be positive and the crop at least 8x8");
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoint interval must be positive");
        }
        if (diagnosticsEvery < 0) {
            throw new IllegalArgumentException("the diagnostics interval must be 0 (off) or positive, not "
                    + diagnosticsEvery);
        }
        if (scaleLossWeights != null) {
            int scales = model.multiScale() ? model.scales().count() : 0;
            if (scales == 0) {
                throw new IllegalArgumentException("scale loss weights need a multi-scale model (--scales)");
            }
            if (scaleLossWeights.length != 1 && scaleLossWeights.length != scales) {
                throw new IllegalArgumentException("give one scale loss weight, or one per scale (" + scales + "), not "
                        + scaleLossWeights.length);
            }
        }
    }

    /** A run without per-scale loss weights (single-scale models, or the fusion's default). */
    public TrainConfig(ModelConfig model, String dataset, String dataRoot, int cropHeight, int cropWidth, int baseSize,
            double minScale, double maxScale, int batchSize, int iterations, double baseLr, double headLrMultiplier,
            double momentum, double weightDecay, double power, double[] lossWeights, double auxWeight, long seed,
            int workers, int checkpointEvery, int validateEvery, String backboneInit, double maxGradNorm) {
        this(model, dataset, dataRoot, cropHeight, cropWidth, baseSize, minScale, maxScale, batchSize, iterations,
                baseLr, headLrMultiplier, momentum, weightDecay, power, lossWeights, auxWeight, seed, workers,
                checkpointEvery, validateEvery, backboneInit, maxGradNorm, null);
    }

    /** A run with diagnostics every {@link #DEFAULT_DIAGNOSTICS_EVERY} iterations and the default head initialisation. */
    public TrainConfig(ModelConfig model, String dataset, String dataRoot, int cropHeight, int cropWidth, int baseSize,
            double minScale, double maxScale, int batchSize, int iterations, double baseLr, double headLrMultiplier,
            double momentum, double weightDecay, double power, double[] lossWeights, double auxWeight, long seed,
            int workers, int checkpointEvery, int validateEvery, String backboneInit, double maxGradNorm,
            double[] scaleLossWeights) {
        this(model, dataset, dataRoot, cropHeight, cropWidth, baseSize, minScale, maxScale, batchSize, iterations,
                baseLr, headLrMultiplier, momentum, weightDecay, power, lossWeights, auxWeight, seed, workers,
                checkpointEvery, validateEvery, backboneInit, maxGradNorm, scaleLossWeights, DEFAULT_DIAGNOSTICS_EVERY,
                DEFAULT_HEAD_INIT);
    }

    /** The same run with another seed. */
    public TrainConfig withSeed(long newSeed) {
        return new TrainConfig(model, dataset, dataRoot, cropHeight, cropWidth, baseSize, minScale, maxScale,
                batchSize, iterations, baseLr, headLrMultiplier, momentum, weightDecay, power, lossWeights, auxWeight,
                newSeed, workers, checkpointEvery, validateEvery, backboneInit, maxGradNorm, scaleLossWeights,
                diagnosticsEvery, headInit);
    }

    /** The same run for another model (and per-scale loss weights). */
    public TrainConfig withModel(ModelConfig newModel, double[] newScaleLossWeights) {
        return new TrainConfig(newModel, dataset, dataRoot, cropHeight, cropWidth, baseSize, minScale, maxScale,
                batchSize, iterations, baseLr, headLrMultiplier, momentum, weightDecay, power, lossWeights, auxWeight,
                seed, workers, checkpointEvery, validateEvery, backboneInit, maxGradNorm, newScaleLossWeights,
                diagnosticsEvery, headInit);
    }

    /** The same run with diagnostics every so many iterations (0: none). */
    public TrainConfig withDiagnosticsEvery(int every) {
        return new TrainConfig(model, dataset, dataRoot, cropHeight, cropWidth, baseSize, minScale, maxScale,
                batchSize, iterations, baseLr, headLrMultiplier, momentum, weightDecay, power, lossWeights, auxWeight,
                seed, workers, checkpointEvery, validateEvery, backboneInit, maxGradNorm, scaleLossWeights, every,
                headInit);
    }

    /** The same run with another head initialisation. */
    public TrainConfig withHeadInit(HeadInit init) {
        return new TrainConfig(model, dataset, dataRoot, cropHeight, cropWidth, baseSize, minScale, maxScale,
                batchSize, iterations, baseLr, headLrMultiplier, momentum, weightDecay, power, lossWeights, auxWeight,
                seed, workers, checkpointEvery, validateEvery, backboneInit, maxGradNorm, scaleLossWeights,
                diagnosticsEvery, init);
    }

    /**
     * The reference's base learning rate for a head: 0.003 for DANet, whose three summed losses
     * and two attention branches diverge at 0.01 (seen here too), 0.01 for FCN and the
     * single-module models.
     */
    public static double referenceLr(dev.danet.nn.HeadType head) {
        return head == dev.danet.nn.HeadType.DANET ? 0.003 : 0.01;
    }

    /**
     * Loss weights in the model's output order ({@link dev.danet.nn.Network#forwardAll}):
     * single scale: head outputs, then aux; multi-scale: the fused map, each scale's map, the
     * head's other outputs, then aux.
     */
    public double[] outputWeights() {
        int heads = model.head().outputCount();
        int scales = model.multiScale() ? model.scales().count() : 0;
        double[] weights = new double[heads + scales + (model.aux() ? 1 : 0)];
        weights[0] = lossWeights.length > 0 ? lossWeights[0] : 1;
        for (int s = 0; s < scales; s++) {
            weights[1 + s] = scaleLossWeight(s);
        }
        for (int i = 1; i < heads; i++) {
            weights[scales + i] = i < lossWeights.length ? lossWeights[i] : 1;
        }
        if (model.aux()) {
            weights[heads + scales] = auxWeight;
        }
        return weights;
    }

    /**
     * Names of the outputs, in the order of {@link #outputWeights}: "fused", "pam", "cam" for
     * DANet (the head's id for a single-branch head), "scale_S" for each scale's own map, "aux".
     */
    public java.util.List<String> outputNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        int heads = model.head().outputCount();
        names.add(heads > 1 ? "fused" : model.head().id());
        if (model.multiScale()) {
            model.scales().scales().forEach(s -> names.add("scale_" + s));
        }
        if (heads > 1) {
            names.add("pam");
            names.add("cam");
        }
        if (model.aux()) {
            names.add("aux");
        }
        return names;
    }

    private double scaleLossWeight(int scale) {
        if (scaleLossWeights == null) {
            return model.scales().fusion() == dev.danet.nn.ScaleFusion.ATTENTION ? 1 : 0;
        }
        return scaleLossWeights[scaleLossWeights.length == 1 ? 0 : scale];
    }
}
