package dev.danet.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/**
 * A convolution followed by batch norm. In a network set to inference only (see
 * {@link Network#setInferenceOnly}) the norm, an affine map per channel with frozen
 * statistics, is folded into the convolution: weights scaled by gamma / sqrt(var + eps) and a
 * bias of beta - mean * that scale, so one convolution with a bias replaces a convolution and a
 * separate pass over its output. Otherwise the two layers run as they are.
 */
final class ConvBatchNorm {

    private ConvBatchNorm() {}

    /** Whether {@link #apply} can fold this pair: a bias-free 2-D convolution, then a batch norm. */
    static boolean foldable(Block conv, Block norm) {
        return conv instanceof Conv2d c && !c.isIncludeBias() && c.getGroups() == 1 && norm instanceof BatchNorm2d;
    }

    /** norm(conv(x)), folded where the network is inference-only and the pair {@link #foldable}. */
    static NDArray apply(Block conv, Block norm, ParameterStore ps, NDArray x, boolean training) {
        NetworkParameterStore store = ps instanceof NetworkParameterStore s ? s : null;
        if (training && store != null && store.inferenceOnly()) {
            throw new IllegalStateException("this network is set to inference only (its batch norms are folded"
                    + " into the convolutions); call setInferenceOnly(false) before training it");
        }
        NDArray[] folded = !training && store != null && foldable(conv, norm)
                ? store.folded(conv, () -> fold((Conv2d) conv, (BatchNorm2d) norm, ps, x.getDevice()))
                : null;
        boolean winograd = conv instanceof Conv2d c
                && WinogradConvolution.applies(c, x, TorchBlock.options(ps), training);
        if (folded == null) {
            NDArray convolved = winograd
                    ? WinogradConvolution.apply((Conv2d) conv, x, weight(conv, ps, x.getDevice()), null)
                    : TorchBlock.apply(conv, ps, x, training);
            NDArray normed = TorchBlock.apply(norm, ps, convolved, training);
            TorchBlock.release(ps, convolved, x);
            return normed;
        }
        Conv2d c = (Conv2d) conv;
        if (winograd) {
            return WinogradConvolution.apply(c, x, folded[0], folded[1]);
        }
        return Conv2d.conv2d(x, folded[0], folded[1], c.getStride(), c.getPadding(), c.getDilation(), 1)
                .singletonOrThrow();
    }

    private static NDArray weight(Block conv, ParameterStore ps, Device device) {
        return ps.getValue(conv.getParameters().get("weight"), device, false);
    }

    /** The folded {weight, bias}, in the weights' type and on their manager. */
    private static NDArray[] fold(Conv2d conv, BatchNorm2d norm, ParameterStore ps, Device device) {
        NDArray weight = weight(conv, ps, device);
        NDArray[] bn = norm.values(ps, device);
        NDArray gamma = bn[0];
        NDArray beta = bn[1];
        NDArray mean = bn[2];
        NDArray variance = bn[3];
        NDArray scale = gamma.div(variance.add(BatchNorm2d.EPSILON).sqrt());
        NDArray foldedWeight = weight.mul(scale.reshape(new Shape(-1, 1, 1, 1)));
        NDArray foldedBias = beta.sub(mean.mul(scale));
        return new NDArray[] {foldedWeight, foldedBias};
    }
}
