package dev.danet.train;

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
        float[] lossWeights,
        float auxWeight,
        long seed,
        int workers,
        int checkpointEvery,
        int validateEvery,
        String backboneInit,
        double maxGradNorm) {

    public TrainConfig {
        if (iterations < 1 || batchSize < 1 || cropHeight < 8 || cropWidth < 8) {
            throw new IllegalArgumentException("iterations and batch size must be positive and the crop at least 8x8");
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoint interval must be positive");
        }
    }

    /**
     * The reference's base learning rate for a head: 0.003 for DANet, whose three summed losses
     * and two attention branches diverge at 0.01 (seen here too), 0.01 for FCN and the
     * single-module models.
     */
    public static double referenceLr(dev.danet.nn.HeadType head) {
        return head == dev.danet.nn.HeadType.DANET ? 0.003 : 0.01;
    }

    /** Loss weights in the model's output order (head outputs, then aux). */
    public float[] outputWeights() {
        int heads = model.head().outputCount();
        float[] weights = new float[heads + (model.aux() ? 1 : 0)];
        for (int i = 0; i < heads; i++) {
            weights[i] = i < lossWeights.length ? lossWeights[i] : 1f;
        }
        if (model.aux()) {
            weights[heads] = auxWeight;
        }
        return weights;
    }
}
