package dev.danet.train;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import dev.danet.nn.HeadInit;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;

/**
 * Everything a training run depends on; saved with its checkpoints, so that a resumed run
 * continues with exactly the same settings. Made by {@link #builder()}, whose defaults are the
 * reference recipe (docs/training.md), or read from a saved run or a recipe file ({@link Recipe}).
 *
 * <p>The saved JSON has the field names and order it has always had; settings added later read
 * as what runs saved before them were trained with (see {@link Builder#saved()}).
 */
@JsonDeserialize(builder = TrainConfig.Builder.class)
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
public final class TrainConfig {

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

    private static final ObjectMapper JSON = new ObjectMapper();

    // The saved form: these fields, in this order, are the JSON of every checkpoint.
    private final ModelConfig model;
    private final String dataset;
    private final String dataRoot;
    private final int cropHeight;
    private final int cropWidth;
    private final int baseSize;
    private final double minScale;
    private final double maxScale;
    private final int batchSize;
    private final int iterations;
    private final double baseLr;
    private final double headLrMultiplier;
    private final double momentum;
    private final double weightDecay;
    private final double power;
    private final double[] lossWeights;
    private final double auxWeight;
    private final long seed;
    private final int workers;
    private final int checkpointEvery;
    private final int validateEvery;
    private final String backboneInit;
    private final double maxGradNorm;
    private final double[] scaleLossWeights;
    private final int diagnosticsEvery;
    private final HeadInit headInit;

    private TrainConfig(Builder b) {
        if (b.model == null || b.dataRoot == null) {
            throw new IllegalArgumentException("a training configuration needs a model and a data folder");
        }
        if (b.iterations < 1 || b.batchSize < 1 || b.cropHeight < 8 || b.cropWidth < 8) {
            throw new IllegalArgumentException("iterations and batch size must be positive and the crop at least 8x8");
        }
        if (b.checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoint interval must be positive");
        }
        if (b.diagnosticsEvery < 0) {
            throw new IllegalArgumentException("the diagnostics interval must be 0 (off) or positive, not "
                    + b.diagnosticsEvery);
        }
        if (b.scaleLossWeights != null) {
            int scales = b.model.multiScale() ? b.model.scales().count() : 0;
            if (scales == 0) {
                throw new IllegalArgumentException("scale loss weights need a multi-scale model (--scales)");
            }
            if (b.scaleLossWeights.length != 1 && b.scaleLossWeights.length != scales) {
                throw new IllegalArgumentException("give one scale loss weight, or one per scale (" + scales + "), not "
                        + b.scaleLossWeights.length);
            }
        }
        model = b.model;
        dataset = b.dataset;
        dataRoot = b.dataRoot;
        cropHeight = b.cropHeight;
        cropWidth = b.cropWidth;
        baseSize = b.baseSize != null ? b.baseSize : Math.min(b.cropHeight, b.cropWidth);
        minScale = b.minScale;
        maxScale = b.maxScale;
        batchSize = b.batchSize;
        iterations = b.iterations;
        baseLr = b.baseLr != null ? b.baseLr : referenceLr(b.model.head());
        headLrMultiplier = b.headLrMultiplier;
        momentum = b.momentum;
        weightDecay = b.weightDecay;
        power = b.power;
        lossWeights = b.lossWeights.clone();
        auxWeight = b.auxWeight;
        seed = b.seed;
        workers = b.workers;
        checkpointEvery = b.checkpointEvery;
        validateEvery = b.validateEvery;
        backboneInit = b.backboneInit;
        maxGradNorm = b.maxGradNorm;
        scaleLossWeights = b.scaleLossWeights == null ? null : b.scaleLossWeights.clone();
        diagnosticsEvery = b.diagnosticsEvery;
        headInit = b.headInit != null ? b.headInit : HeadInit.KAIMING_FAN_OUT;
    }

    /** The reference recipe; set at least the model, the data folder and the iterations. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration (read from its saved form, so that no setting is left out). */
    public Builder toBuilder() {
        try {
            return JSON.readerForUpdating(new Builder()).readValue((JsonNode) JSON.valueToTree(this));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public ModelConfig model() {
        return model;
    }

    /** Dataset layout id ("cityscapes", "folder", ..., "auto"). */
    public String dataset() {
        return dataset;
    }

    public String dataRoot() {
        return dataRoot;
    }

    public int cropHeight() {
        return cropHeight;
    }

    public int cropWidth() {
        return cropWidth;
    }

    /** Short side at augmentation scale 1. */
    public int baseSize() {
        return baseSize;
    }

    public double minScale() {
        return minScale;
    }

    public double maxScale() {
        return maxScale;
    }

    public int batchSize() {
        return batchSize;
    }

    public int iterations() {
        return iterations;
    }

    /** Backbone learning rate at iteration 0. */
    public double baseLr() {
        return baseLr;
    }

    /** Learning-rate factor for everything outside the backbone (10, as the reference). */
    public double headLrMultiplier() {
        return headLrMultiplier;
    }

    public double momentum() {
        return momentum;
    }

    /** L2 weight decay (all parameters, as the reference). */
    public double weightDecay() {
        return weightDecay;
    }

    public double power() {
        return power;
    }

    /** Weight of each output's loss, by output. */
    public LossWeights lossWeights() {
        return new LossWeights(weight(0), weight(1), weight(2), auxWeight,
                scaleLossWeights == null ? null : scaleLossWeights.clone());
    }

    private double weight(int index) {
        return index < lossWeights.length ? lossWeights[index] : 1;
    }

    /** Seeds initialisation, data order, augmentation and dropout. */
    public long seed() {
        return seed;
    }

    public int workers() {
        return workers;
    }

    public int checkpointEvery() {
        return checkpointEvery;
    }

    /** Iterations between validations (0: only at the end). */
    public int validateEvery() {
        return validateEvery;
    }

    /** Optional torchvision ResNet .pth initialising the backbone (null: random). */
    public String backboneInit() {
        return backboneInit;
    }

    /** Clip the global gradient norm to this (0: no clipping, as the reference). */
    public double maxGradNorm() {
        return maxGradNorm;
    }

    /**
     * Iterations between diagnostics lines in the training log (each output's loss, gradient
     * norm per module, attention scalars, how the attention rows look; see
     * {@link TrainingDiagnostics}); 0: none.
     */
    public int diagnosticsEvery() {
        return diagnosticsEvery;
    }

    /** How the head's convolutions start (see {@link HeadInit}). */
    public HeadInit headInit() {
        return headInit;
    }

    /**
     * The reference's base learning rate for a head: 0.003 for DANet, whose three summed losses
     * and two attention branches diverge at 0.01 (seen here too), 0.01 for FCN and the
     * single-module models.
     */
    public static double referenceLr(HeadType head) {
        return head == HeadType.DANET ? 0.003 : 0.01;
    }

    /** The saved JSON. */
    @Override
    public String toString() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrainConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /**
     * Makes a {@link TrainConfig}. Starts from the reference recipe: crop 512, base size the
     * crop's short side, scales 0.75..2.0, batch 8, learning rate {@link #referenceLr} for the
     * head at 10x in the head, momentum 0.9, weight decay 1e-4, poly 0.9, loss weights 1 (aux
     * 0.4, scales by the fusion), no clipping, seed 1, two loader threads, a checkpoint every
     * 200 iterations, validation at the end, diagnostics every {@link #DEFAULT_DIAGNOSTICS_EVERY},
     * the {@link #DEFAULT_HEAD_INIT}. Jackson reads saved configurations through it too.
     */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonAutoDetect(fieldVisibility = Visibility.ANY) // so that a recipe can be read over a builder
    public static final class Builder {

        private ModelConfig model;
        private String dataset = "auto";
        private String dataRoot;
        private int cropHeight = 512;
        private int cropWidth = 512;
        private Integer baseSize;
        private double minScale = 0.75;
        private double maxScale = 2.0;
        private int batchSize = 8;
        private int iterations;
        private Double baseLr;
        private double headLrMultiplier = 10;
        private double momentum = 0.9;
        private double weightDecay = 1e-4;
        private double power = 0.9;
        private double[] lossWeights = {1, 1, 1};
        private double auxWeight = 0.4;
        private long seed = 1;
        private int workers = 2;
        private int checkpointEvery = 200;
        private int validateEvery;
        private String backboneInit;
        private double maxGradNorm;
        private double[] scaleLossWeights;
        private int diagnosticsEvery = DEFAULT_DIAGNOSTICS_EVERY;
        private HeadInit headInit = DEFAULT_HEAD_INIT;

        private Builder() {}

        /**
         * What Jackson fills from a saved configuration: a setting it lacks was added after the
         * run was saved and reads as what the run was trained with (no diagnostics, the Kaiming
         * fan-out head).
         */
        @JsonCreator
        private static Builder saved() {
            return new Builder().diagnosticsEvery(0).headInit(HeadInit.KAIMING_FAN_OUT);
        }

        public ModelConfig model() {
            return model;
        }

        public Builder model(ModelConfig value) {
            model = value;
            return this;
        }

        public Builder dataset(String value) {
            dataset = value;
            return this;
        }

        public Builder dataRoot(String value) {
            dataRoot = value;
            return this;
        }

        /** The training crop; the base size follows its short side unless set. */
        public Builder crop(int height, int width) {
            cropHeight = height;
            cropWidth = width;
            return this;
        }

        /** Short side at scale 1 (null: the crop's short side). */
        public Builder baseSize(Integer value) {
            baseSize = value;
            return this;
        }

        /** The random scale range of the augmentation. */
        public Builder scaleRange(double min, double max) {
            minScale = min;
            maxScale = max;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder iterations(int value) {
            iterations = value;
            return this;
        }

        /**
         * As many iterations as that many passes over a training split of trainImages take at the
         * batch size set so far.
         */
        public Builder epochs(int epochs, int trainImages) {
            return iterations(epochs * Math.max(1, trainImages / batchSize));
        }

        /** The backbone's learning rate at iteration 0 (null: {@link #referenceLr} for the head). */
        public Builder baseLr(Double value) {
            baseLr = value;
            return this;
        }

        public Builder headLrMultiplier(double value) {
            headLrMultiplier = value;
            return this;
        }

        public Builder momentum(double value) {
            momentum = value;
            return this;
        }

        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        public Builder power(double value) {
            power = value;
            return this;
        }

        /** Loss weights of DANet's fused, PAM and CAM maps, in that order (missing ones: 1, extra ones: unused). */
        public Builder lossWeights(double[] value) {
            lossWeights = value.clone();
            return this;
        }

        public Builder auxWeight(double value) {
            auxWeight = value;
            return this;
        }

        /** See {@link LossWeights#scales}; null: by the fusion. */
        public Builder scaleLossWeights(double[] value) {
            scaleLossWeights = value == null ? null : value.clone();
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder workers(int value) {
            workers = value;
            return this;
        }

        public Builder checkpointEvery(int value) {
            checkpointEvery = value;
            return this;
        }

        public Builder validateEvery(int value) {
            validateEvery = value;
            return this;
        }

        public Builder backboneInit(String value) {
            backboneInit = value;
            return this;
        }

        public Builder maxGradNorm(double value) {
            maxGradNorm = value;
            return this;
        }

        public Builder diagnosticsEvery(int value) {
            diagnosticsEvery = value;
            return this;
        }

        public Builder headInit(HeadInit value) {
            headInit = value;
            return this;
        }

        /** @throws IllegalArgumentException for settings that cannot train */
        public TrainConfig build() {
            return new TrainConfig(this);
        }
    }
}
