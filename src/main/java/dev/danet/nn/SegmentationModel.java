package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Backbone + head (+ auxiliary head), named as the reference DANet ("pretrained", "head",
 * "auxlayer"). Score maps are upsampled bilinearly to the input size (align_corners as configured).
 * In training it returns every output (head outputs, then aux, in the order
 * {@link SegmentationOutputs#of} reads); in inference only the main one, unless the forward
 * parameters ask for {@link #ALL_OUTPUTS}.
 */
public final class SegmentationModel extends TorchBlock {

    /** Forward parameter key: when present, inference returns every output as training does. */
    public static final String ALL_OUTPUTS = "all_outputs";

    private final ModelConfig config;
    private final ResNet backbone;
    private final Block head;
    private final FcnHead aux;

    public SegmentationModel(ModelConfig config) {
        this.config = config;
        backbone = addChildBlock("pretrained", new ResNet(config));
        head = addChildBlock("head", config.head() == HeadType.FCN
                ? new FcnHead(config.headBranchChannels(), config.classes(), config.fcnStyle())
                : new DanetHead(config.head(), config.headBranchChannels(), config.classes()));
        aux = config.aux() ? addChildBlock("auxlayer", new FcnHead(config.layer3Channels() / 4, config.classes())) : null;
    }

    public ModelConfig config() {
        return config;
    }

    public ResNet backbone() {
        return backbone;
    }

    public Block head() {
        return head;
    }

    /** The auxiliary FCN head on layer3, or null. */
    public FcnHead aux() {
        return aux;
    }

    /**
     * One pass at feature resolution: the head's score maps (all of them, then aux, when all;
     * else the main one) and layer4's output, the features the multi-scale wrapper's scale
     * attention reads.
     */
    public record FeatureOutputs(NDList scores, NDArray features) {}

    /** The pass behind {@link #forward}, before upsampling; see {@link FeatureOutputs}. */
    public FeatureOutputs forwardFeatures(ParameterStore ps, NDArray image, boolean training, boolean all) {
        NDList features = applyScoped(backbone, ps, new NDList(image), training, null);
        // c1 and c2 feed nothing here; c3 only the auxiliary head, so it goes before the head
        // runs unless the auxiliary head will read it.
        boolean auxiliary = all && aux != null;
        release(ps, features.get(0));
        release(ps, features.get(1));
        if (!auxiliary) {
            release(ps, features.get(2));
        }
        NDList heads = applyScoped(head, ps, new NDList(features.get(3)), training, null);
        NDList scores = new NDList();
        for (int i = 0; i < heads.size(); i++) {
            if (all || i == 0) {
                scores.add(heads.get(i));
            } else {
                release(ps, heads.get(i));
            }
        }
        if (auxiliary) {
            scores.add(apply(aux, ps, features.get(2), training));
            release(ps, features.get(2));
        }
        return new FeatureOutputs(scores, features.get(3));
    }

    /** The (h, w) of layer4's output for an input of the given shape, without running anything. */
    public Shape featureSize(Shape input) {
        Shape features = backbone.getOutputShapes(new Shape[] {input})[3];
        return new Shape(features.get(2), features.get(3));
    }

    /**
     * Whether a forward pass returns every output: in training, or when the parameters ask for
     * {@link #ALL_OUTPUTS}.
     */
    static boolean wantsAllOutputs(boolean training, PairList<String, Object> params) {
        return training || (params != null && params.contains(ALL_OUTPUTS));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray image = inputs.singletonOrThrow();
        long height = image.getShape().get(2);
        long width = image.getShape().get(3);
        boolean all = wantsAllOutputs(training, params);
        FeatureOutputs pass = forwardFeatures(ps, image, training, all);
        release(ps, pass.features());
        NDList outputs = new NDList();
        for (NDArray scores : pass.scores()) {
            NDArray upsampled = BilinearResize.resize(scores, height, width, config.alignCorners());
            release(ps, scores, upsampled);
            outputs.add(upsampled);
        }
        return outputs;
    }

    /** Output count in training (all score maps, aux included). */
    public int trainingOutputCount() {
        return config.head().outputCount() + (aux != null ? 1 : 0);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape[] out = new Shape[trainingOutputCount()];
        java.util.Arrays.fill(out, new Shape(in.get(0), config.classes(), in.get(2), in.get(3)));
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        backbone.initialize(manager, type, inputShapes);
        Shape[] features = backbone.getOutputShapes(inputShapes);
        head.initialize(manager, type, features[3]);
        if (aux != null) {
            aux.initialize(manager, type, features[2]);
        }
    }
}
