package dev.danet.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The FCN head: conv 3x3 to in/4 channels, BN, ReLU, Dropout2d(0.1), 1x1 classifier, under
 * the reference's module name "conv5" (keys conv5.0, conv5.1, conv5.4). It is both the
 * dilated-FCN baseline and the auxiliary head on layer3.
 */
public final class FcnHead extends TorchBlock {

    private final Sequence conv5;

    public FcnHead(int inChannels, int classes) {
        conv5 = addChildBlock("conv5", new Sequence()
                .add(Layers.conv(inChannels / 4, 3, 1, 1))
                .add(Layers.batchNorm())
                .add(new Relu())
                .add(new Dropout2d(0.1))
                .add(Layers.conv1x1WithBias(classes)));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return conv5.forward(ps, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv5.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        conv5.initialize(manager, type, inputShapes);
    }
}
