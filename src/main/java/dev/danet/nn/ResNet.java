package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Dilated ResNet backbone in torchvision's layout (conv1, bn1, layer1..layer4; a deep stem's
 * three convolutions are conv1.0, conv1.3, conv1.6, their norms conv1.1, conv1.4 and bn1). With output
 * stride 8, layer3 and layer4 keep stride 1 and dilate instead (rates 2 and 4, each stage's
 * first block at the previous rate); multi-grid gives layer4's blocks rates 1, 2, 4 times
 * the base. Returns the four stage outputs c1..c4.
 */
public final class ResNet extends TorchBlock {

    private static final int[] MULTI_GRID = {1, 2, 4};

    /**
     * Residual units recomputed together when the backbone is recomputed: only every second
     * unit's input is kept (ResNet-101's layer3 keeps 12 of its 23, 1.5 GB fewer at 1024x2048),
     * for one more unit's activations while a segment runs again: a peak 1 GB lower there.
     */
    private static final int UNITS_PER_SEGMENT = 2;

    private final Block stem;
    private final Block stemNorm;
    private final Block pool;
    private final Sequence[] stages = new Sequence[4];

    public ResNet(ModelConfig config) {
        int width = config.width();
        ResNetDepth depth = config.backbone();
        Stem kind = config.stem();
        if (kind.deep()) {
            int inner = kind.innerChannels(width);
            stem = addChildBlock("conv1", new Sequence()
                    .add(Layers.conv(inner, 3, 2, 1)).add(Layers.batchNorm()).add(new Relu())
                    .add(Layers.conv(inner, 3, 1, 1)).add(Layers.batchNorm()).add(new Relu())
                    .add(Layers.conv(kind.outChannels(width), 3, 1, 1)));
        } else {
            stem = addChildBlock("conv1", Layers.conv(width, 7, 2, 1));
        }
        stemNorm = addChildBlock("bn1", Layers.batchNorm());
        pool = addChildBlock("maxpool", new MaxPool(3, 2, 1));

        boolean os8 = config.outputStride() == 8;
        int layer3Rate = os8 ? 2 : 1;
        int layer4Rate = os8 ? 4 : 2;
        int channels = kind.outChannels(width);
        int[] strides = {1, 2, os8 ? 1 : 2, 1};
        int[] rates = {1, 1, layer3Rate, layer4Rate};
        int[] previousRates = {1, 1, 1, layer3Rate};
        for (int s = 0; s < 4; s++) {
            int planes = width << s;
            Sequence stage = new Sequence();
            for (int b = 0; b < depth.blocks(s); b++) {
                int rate = b == 0 ? previousRates[s] : rates[s];
                if (s == 3 && config.multiGrid()) {
                    rate = layer4Rate * MULTI_GRID[b % MULTI_GRID.length];
                }
                int stride = b == 0 ? strides[s] : 1;
                stage.add(depth.bottleneck()
                        ? ResidualUnit.bottleneck(channels, planes, stride, rate)
                        : ResidualUnit.basic(channels, planes, stride, rate));
                channels = planes * depth.expansion();
            }
            stages[s] = addChildBlock("layer" + (s + 1), stage);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        // In a training pass with deferred backward work, each stage's output is cut so that its
        // consumers (the next stage, the heads) pass their gradients on together (DeferredBackward).
        DeferredBackward deferred = training ? deferred(ps) : null;
        boolean recompute = deferred != null && options(ps).trainingMemory().recomputeBackbone();
        NDArray image = inputs.singletonOrThrow();
        // The stem works at half the input's resolution: at 1024x2048 its saved activations (a deep
        // stem's six maps and the pool's indices) are about 1.2 GB per image, so it is recomputed too.
        NDArray x = recompute
                ? Recomputation.apply((store, input) -> stem(store, input, true), (NetworkParameterStore) ps, image, deferred)
                : stem(ps, image, training);
        NDList features = new NDList(4);
        for (Sequence stage : stages) {
            if (recompute) {
                // Each segment's output is a leaf already: the stage's consumers share the last one.
                List<Block> units = stage.getChildren().values();
                for (int first = 0; first < units.size(); first += UNITS_PER_SEGMENT) {
                    List<Block> segment = units.subList(first, Math.min(first + UNITS_PER_SEGMENT, units.size()));
                    x = Recomputation.apply(
                            (store, input) -> Sequence.runInTurn(segment, store, input, true),
                            (NetworkParameterStore) ps, x, deferred);
                }
                features.add(x);
                continue;
            }
            x = apply(stage, ps, x, training);
            if (deferred != null) {
                NDArray cut = deferred.cut(x);
                release(ps, x);
                x = cut;
            }
            features.add(x);
        }
        return features;
    }

    /** Convolution(s), batch norm, ReLU and max pooling: the input at a quarter of its size. */
    private NDArray stem(ParameterStore ps, NDArray image, boolean training) {
        NDArray normed = ConvBatchNorm.apply(stem, stemNorm, ps, image, training);
        NDArray activated = ai.djl.nn.Activation.relu(normed);
        release(ps, normed);
        NDArray pooled = apply(pool, ps, activated, training);
        release(ps, activated);
        return pooled;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape shape = outputShape(pool, outputShape(stem, inputShapes[0]));
        Shape[] out = new Shape[4];
        for (int s = 0; s < 4; s++) {
            shape = outputShape(stages[s], shape);
            out[s] = shape;
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        Shape shape = init(stem, manager, type, inputShapes[0]);
        init(stemNorm, manager, type, shape);
        shape = init(pool, manager, type, shape);
        for (Sequence stage : stages) {
            shape = init(stage, manager, type, shape);
        }
    }
}
