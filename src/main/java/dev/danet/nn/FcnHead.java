package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The FCN head, the dilated-FCN baseline and the auxiliary head on layer3, in one of two
 * styles ({@link FcnStyle}):
 * <ul>
 *   <li>one conv: conv 3x3 to the head's width (the reference: in/4), BN, ReLU, Dropout2d(0.1),
 *       1x1 classifier, under the reference's module name "conv5" (keys conv5.0, conv5.1, conv5.4);
 *   <li>two convs + concat (mmsegmentation): convs.0 and convs.1 (conv 3x3, BN, ReLU), then
 *       conv_cat over [input, convs output], then conv_seg after Dropout2d(0.1) (keys
 *       convs.{0,1}.{0,1}, conv_cat.{0,1}, conv_seg.1).
 * </ul>
 */
public final class FcnHead extends TorchBlock {

    private final Sequence conv5;
    private final Sequence convs;
    private final Sequence convCat;
    private final Sequence convSeg;

    /** @param inter the head's width (the reference: the input's channels / 4) */
    public FcnHead(int inter, int classes) {
        this(inter, classes, FcnStyle.ONE_CONV);
    }

    public FcnHead(int inter, int classes, FcnStyle style) {
        if (style == FcnStyle.ONE_CONV) {
            conv5 = addChildBlock("conv5", new Sequence()
                    .add(Layers.conv(inter, 3, 1, 1))
                    .add(Layers.batchNorm())
                    .add(new Relu())
                    .add(new Dropout2d(0.1))
                    .add(Layers.conv1x1WithBias(classes)));
            convs = null;
            convCat = null;
            convSeg = null;
        } else {
            conv5 = null;
            convs = addChildBlock("convs", new Sequence().add(Layers.convBnRelu(inter)).add(Layers.convBnRelu(inter)));
            convCat = addChildBlock("conv_cat", Layers.convBnRelu(inter));
            convSeg = addChildBlock("conv_seg", Layers.classifier(classes));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (conv5 != null) {
            return conv5.forward(ps, inputs, training);
        }
        NDArray x = inputs.singletonOrThrow();
        NDArray features = apply(convs, ps, x, training);
        NDArray joined = x.concat(features, 1);
        release(ps, features);
        NDArray fused = apply(convCat, ps, joined, training);
        release(ps, joined);
        NDArray scores = apply(convSeg, ps, fused, training);
        release(ps, fused);
        return new NDList(scores);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv5 != null ? conv5.getOutputShapes(inputShapes) : convSeg.getOutputShapes(
                convs.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        if (conv5 != null) {
            conv5.initialize(manager, type, inputShapes);
            return;
        }
        Shape in = inputShapes[0];
        Shape inner = init(convs, manager, type, in);
        init(convCat, manager, type, new Shape(in.get(0), in.get(1) + inner.get(1), in.get(2), in.get(3)));
        init(convSeg, manager, type, inner);
    }
}
