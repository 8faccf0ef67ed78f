package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Attention to Scale (Chen et al., CVPR 2016) around any {@link SegmentationModel}: the one
 * base network, weights shared, runs on the input resized to each scale; each scale's score
 * maps f^s are resized to the feature size of the scale-1 input and fused there,
 * g = sum_s w^s f^s (attention), mean_s f^s (average) or max_s f^s (max); then upsampled to the
 * input size as the base network does.
 *
 * <p>Feature tap: the attention head reads each scale's layer4 output (the input of every
 * head type), resized to the scale-1 feature size and concatenated over the scales.
 *
 * <p>Outputs, in training or with {@link SegmentationModel#ALL_OUTPUTS}: [g, f^1 .. f^S, then
 * the base network's other outputs (DANet's PAM and CAM maps, the aux head) each fused over
 * the scales in the same way], the order {@link SegmentationOutputs#of} reads. In inference only g. Parameter names: the base network keeps
 * its own (pretrained.*, head.*, auxlayer.*); the attention head is scale_attention.*.
 */
public final class MultiScaleModel extends TorchBlock {

    private final ScaleConfig config;
    private final SegmentationModel base;
    private final ScaleAttentionHead attention;

    public MultiScaleModel(ModelConfig modelConfig) {
        if (!modelConfig.multiScale()) {
            throw new IllegalArgumentException("a multi-scale model needs scales in its configuration");
        }
        config = modelConfig.scales();
        // Registered without a name, so the shared network's keys stay those of the single-scale model.
        base = addChildBlock("", new SegmentationModel(modelConfig.base()));
        attention = config.fusion() == ScaleFusion.ATTENTION
                ? addChildBlock("scale_attention",
                        new ScaleAttentionHead(modelConfig.scaleAttentionChannels(), config.count()))
                : null;
    }

    public SegmentationModel base() {
        return base;
    }

    public ScaleConfig scaleConfig() {
        return config;
    }

    /** The attention head, or null for average and max fusion. */
    public ScaleAttentionHead attention() {
        return attention;
    }

    /** Each scale's score maps (main first), resized to the fusion size, and the fusion weights. */
    private record Pass(List<NDList> scores, NDArray weights) {}

    private Pass run(ParameterStore ps, NDArray image, boolean training, boolean all) {
        Shape shape = image.getShape();
        long height = shape.get(2);
        long width = shape.get(3);
        Shape target = base.featureSize(shape);
        List<NDList> scores = new ArrayList<>();
        NDList features = new NDList();
        for (double scale : config.scales()) {
            NDArray scaled = BilinearResize.alignCorners(image, scaledSide(height, scale), scaledSide(width, scale));
            SegmentationModel.FeatureOutputs out = base.forwardFeatures(ps, scaled, training, all);
            NDList resized = new NDList();
            for (NDArray s : out.scores()) {
                resized.add(BilinearResize.alignCorners(s, target.get(0), target.get(1)));
            }
            scores.add(resized);
            if (attention != null) {
                features.add(BilinearResize.alignCorners(out.features(), target.get(0), target.get(1)));
            }
        }
        NDArray weights = attention == null ? null : attention.weights(ps, NDArrays.concat(features, 1), training);
        return new Pass(scores, weights);
    }

    /** A side resized by a scale factor, as the input of that scale. */
    static long scaledSide(long side, double scale) {
        return Math.max(1, Math.round(side * scale));
    }

    /** Output i of every scale fused into one map. */
    private NDArray fuse(Pass pass, int output) {
        NDList maps = new NDList();
        for (NDList s : pass.scores()) {
            maps.add(s.get(output));
        }
        NDArray stacked = NDArrays.stack(maps, 1); // (B, S, K, h, w)
        return switch (config.fusion()) {
            case ATTENTION -> stacked.mul(pass.weights().expandDims(2)).sum(new int[] {1}); // g = sum_s w^s f^s
            case AVERAGE -> stacked.mean(new int[] {1});
            case MAX -> stacked.max(new int[] {1});
        };
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray image = inputs.singletonOrThrow();
        long height = image.getShape().get(2);
        long width = image.getShape().get(3);
        boolean all = SegmentationModel.wantsAllOutputs(training, params);
        Pass pass = run(ps, image, training, all);
        NDList outputs = new NDList(BilinearResize.alignCorners(fuse(pass, 0), height, width));
        if (all) {
            for (NDList s : pass.scores()) {
                outputs.add(BilinearResize.alignCorners(s.get(0), height, width));
            }
            for (int i = 1; i < pass.scores().get(0).size(); i++) {
                outputs.add(BilinearResize.alignCorners(fuse(pass, i), height, width));
            }
        }
        return outputs;
    }

    /**
     * How much each scale counts at each pixel, (B, S, h, w) at the fusion size, summing to 1
     * over the scales: the attention weights; 1/S for average fusion; for max fusion, 1 for the
     * scale whose score of the predicted class is the largest (the one the max takes).
     */
    public NDArray scaleWeights(ParameterStore ps, NDArray image) {
        Pass pass = run(ps, image, false, false);
        if (pass.weights() != null) {
            return pass.weights();
        }
        Shape size = pass.scores().get(0).get(0).getShape();
        NDManager manager = image.getManager();
        int count = config.count();
        if (config.fusion() == ScaleFusion.AVERAGE) {
            return manager.full(new Shape(size.get(0), count, size.get(2), size.get(3)), 1f / count, image.getDataType());
        }
        NDList maps = new NDList();
        pass.scores().forEach(s -> maps.add(s.get(0)));
        NDArray stacked = NDArrays.stack(maps, 1); // (B, S, K, h, w)
        NDArray predicted = stacked.max(new int[] {1}).argMax(1); // (B, h, w)
        NDArray index = predicted.expandDims(1).expandDims(1)
                .broadcast(new Shape(size.get(0), count, 1, size.get(2), size.get(3)));
        NDArray ofPredicted = stacked.gather(index, 2).squeeze(2); // (B, S, h, w)
        NDArray winner = ofPredicted.argMax(1).expandDims(1); // (B, 1, h, w)
        NDArray scaleIds = manager.arange(0, count, 1, DataType.INT64).reshape(1, count, 1, 1);
        return winner.eq(scaleIds).toType(image.getDataType(), false);
    }

    /** A new attention head starts as average fusion (see {@link ScaleAttentionHead#startUniform}). */
    void startUniform() {
        if (attention != null) {
            attention.startUniform();
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        int count = 1 + config.count() + base.trainingOutputCount() - 1;
        Shape[] out = new Shape[count];
        java.util.Arrays.fill(out, new Shape(in.get(0), base.config().classes(), in.get(2), in.get(3)));
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        base.initialize(manager, type, inputShapes);
        if (attention != null) {
            Shape features = base.backbone().getOutputShapes(inputShapes)[3];
            attention.initialize(manager, type, new Shape(features.get(0), features.get(1) * config.count(),
                    features.get(2), features.get(3)));
        }
    }
}
