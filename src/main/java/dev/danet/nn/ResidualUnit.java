package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A ResNet block, torchvision layout: relu(residual(x) + shortcut(x)), where the residual
 * branch is conv/bn pairs named conv1, bn1, conv2, bn2 (, conv3, bn3) with ReLU between
 * them, and the shortcut is the identity or "downsample" (1x1 conv + BN).
 */
public final class ResidualUnit extends TorchBlock {

    private final Block[] convs;
    private final Block[] norms;
    private final Sequence downsample;

    private ResidualUnit(Block[] convs, int inChannels, int outChannels, int stride) {
        this.convs = convs;
        this.norms = new Block[convs.length];
        for (int i = 0; i < convs.length; i++) {
            addChildBlock("conv" + (i + 1), convs[i]);
            norms[i] = addChildBlock("bn" + (i + 1), Layers.batchNorm());
        }
        if (stride != 1 || inChannels != outChannels) {
            downsample = addChildBlock("downsample",
                    new Sequence().add(Layers.conv(outChannels, 1, stride, 1)).add(Layers.batchNorm()));
        } else {
            downsample = null;
        }
    }

    /** Bottleneck (expansion 4): 1x1 reduce, 3x3 with the stride and dilation, 1x1 expand. */
    public static ResidualUnit bottleneck(int inChannels, int planes, int stride, int dilation) {
        Block[] convs = {
            Layers.conv(planes, 1, 1, 1),
            Layers.conv(planes, 3, stride, dilation),
            Layers.conv(planes * 4, 1, 1, 1)
        };
        return new ResidualUnit(convs, inChannels, planes * 4, stride);
    }

    /** Basic block (expansion 1): two 3x3 convolutions, both dilated. */
    public static ResidualUnit basic(int inChannels, int planes, int stride, int dilation) {
        Block[] convs = {Layers.conv(planes, 3, stride, dilation), Layers.conv(planes, 3, 1, dilation)};
        return new ResidualUnit(convs, inChannels, planes, stride);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray out = x;
        for (int i = 0; i < convs.length; i++) {
            NDArray normed = ConvBatchNorm.apply(convs[i], norms[i], ps, out, training);
            release(ps, out, x);
            out = normed;
            if (i < convs.length - 1) {
                NDArray activated = Activation.relu(out);
                release(ps, out);
                out = activated;
            }
        }
        NDArray shortcut = downsample == null ? x : apply(downsample, ps, x, training);
        NDArray sum = out.add(shortcut);
        release(ps, out);
        release(ps, shortcut, x);
        NDArray result = Activation.relu(sum);
        release(ps, sum);
        return new NDList(result);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape shape = inputShapes[0];
        for (Block conv : convs) {
            shape = outputShape(conv, shape);
        }
        return new Shape[] {shape};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (int i = 0; i < convs.length; i++) {
            shape = init(convs[i], manager, type, shape);
            init(norms[i], manager, type, shape);
        }
        if (downsample != null) {
            init(downsample, manager, type, inputShapes[0]);
        }
    }
}
