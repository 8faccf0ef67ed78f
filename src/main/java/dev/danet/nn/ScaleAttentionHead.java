package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The attention model of Attention to Scale (Chen et al. 2016, section 3.2): on the
 * concatenated features of all scales, a 3x3 convolution (with bias) + ReLU, then a 1x1
 * convolution to one logit per scale; a softmax over the scales gives the per-pixel weights
 * w^s. Keys: {@code 0.weight/bias} (the 3x3) and {@code 2.weight/bias} (the 1x1).
 */
public final class ScaleAttentionHead extends TorchBlock {

    private final Sequence layers;

    public ScaleAttentionHead(int hiddenChannels, int scales) {
        // Registered without a name so the keys read scale_attention.0.weight, as a torch Sequential.
        layers = addChildBlock("", new Sequence()
                .add(Conv2d.builder().setFilters(hiddenChannels).setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1)).optBias(true).build())
                .add(new Relu())
                .add(Layers.conv1x1WithBias(scales)));
    }

    /** Per-pixel weights (B, S, h, w) that sum to 1 over the scales, from features (B, S * C, h, w). */
    public NDArray weights(ParameterStore ps, NDArray features, boolean training) {
        return apply(layers, ps, features, training).softmax(1);
    }

    /**
     * Zeroes the last layer, so that a new head gives every scale 1/S everywhere: training
     * starts from the average-pooling baseline and learns where to depart from it.
     */
    void startUniform() {
        ParameterNames.of(this).forEach((name, p) -> {
            if (name.startsWith("2.")) {
                p.getArray().muli(0);
            }
        });
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(weights(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return layers.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        layers.initialize(manager, type, inputShapes);
    }
}
