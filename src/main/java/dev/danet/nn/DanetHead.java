package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The dual attention head (DANet figure 2) and its single-branch ablations. Each branch
 * reduces the features to the branch width (conv5a / conv5c; the reference's in/4), attends
 * (sa = PAM, sc = CAM) and refines (conv51 / conv52); the full head sums both branches. Outputs, at feature
 * resolution: DANet [conv8(pam + cam), conv6(pam), conv7(cam)]; PAM-only [conv6(pam)];
 * CAM-only [conv7(cam)].
 */
public final class DanetHead extends TorchBlock {

    private final HeadType type;
    private final int branchChannels;
    private Sequence conv5a;
    private Sequence conv5c;
    private PositionAttention sa;
    private ChannelAttention sc;
    private Sequence conv51;
    private Sequence conv52;
    private Sequence conv6;
    private Sequence conv7;
    private Sequence conv8;

    /** @param branchChannels each branch's width (the reference: the input's channels / 4) */
    public DanetHead(HeadType type, int branchChannels, int classes) {
        if (!type.usesPositionAttention() && !type.usesChannelAttention()) {
            throw new IllegalArgumentException("DanetHead needs at least one attention branch");
        }
        this.type = type;
        this.branchChannels = branchChannels;
        if (type.usesPositionAttention()) {
            conv5a = addChildBlock("conv5a", Layers.convBnRelu(branchChannels));
            sa = addChildBlock("sa", new PositionAttention(branchChannels));
            conv51 = addChildBlock("conv51", Layers.convBnRelu(branchChannels));
            conv6 = addChildBlock("conv6", Layers.classifier(classes));
        }
        if (type.usesChannelAttention()) {
            conv5c = addChildBlock("conv5c", Layers.convBnRelu(branchChannels));
            sc = addChildBlock("sc", new ChannelAttention());
            conv52 = addChildBlock("conv52", Layers.convBnRelu(branchChannels));
            conv7 = addChildBlock("conv7", Layers.classifier(classes));
        }
        if (type == HeadType.DANET) {
            conv8 = addChildBlock("conv8", Layers.classifier(classes));
        }
    }

    /** The position attention module, or null for a CAM-only head. */
    public PositionAttention positionAttention() {
        return sa;
    }

    /** The channel attention module, or null for a PAM-only head. */
    public ChannelAttention channelAttention() {
        return sc;
    }

    /**
     * Sets (null: removes) a tap on both attention modules: it sees their weights in every
     * forward pass, training included (diagnostics; see {@link AttentionTap}).
     */
    public void setTap(AttentionTap tap) {
        if (sa != null) {
            sa.setTap(tap);
        }
        if (sc != null) {
            sc.setTap(tap);
        }
    }

    /**
     * PAM's (B, N, N) attention map for backbone features (B, C, h, w), N = h * w: row j says
     * where position j draws from. Null for a CAM-only head.
     */
    public NDArray positionAttentionMap(ParameterStore ps, NDArray features) {
        return sa == null ? null : sa.attention(ps, apply(conv5a, ps, features, false), false);
    }

    /**
     * PAM's input for backbone features (B, C, h, w): conv5a's output (B, C/4, h, w), from which
     * {@link PositionAttention#attentionRows} gives any row of the map. Null for a CAM-only head.
     */
    public NDArray positionAttentionInput(ParameterStore ps, NDArray features) {
        return sa == null ? null : apply(conv5a, ps, features, false);
    }

    /**
     * CAM's output E (eq. 4) for backbone features (B, C, h, w): the (B, C/4, h, w) channel maps
     * the paper shows as "channel attention maps". Null for a PAM-only head.
     */
    public NDArray channelAttentionOutput(ParameterStore ps, NDArray features) {
        return sc == null ? null : apply(sc, ps, apply(conv5c, ps, features, false), false);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray pam = null;
        NDArray cam = null;
        if (sa != null) {
            pam = branch(conv5a, sa, conv51, ps, x, training);
        }
        if (sc != null) {
            cam = branch(conv5c, sc, conv52, ps, x, training);
        }
        return switch (type) {
            case DANET -> {
                NDArray fused = pam.add(cam);
                NDArray fusedScores = apply(conv8, ps, fused, training);
                release(ps, fused);
                yield new NDList(fusedScores, apply(conv6, ps, pam, training), apply(conv7, ps, cam, training));
            }
            case PAM -> new NDList(apply(conv6, ps, pam, training));
            case CAM -> new NDList(apply(conv7, ps, cam, training));
            case FCN -> throw new IllegalStateException("unreachable");
        };
    }

    /** reduce -> attend -> refine, each intermediate freed once used. */
    private static NDArray branch(Sequence reduce, TorchBlock attend, Sequence refine, ParameterStore ps, NDArray x,
            boolean training) {
        NDArray reduced = apply(reduce, ps, x, training);
        NDArray attended = apply(attend, ps, reduced, training);
        release(ps, reduced);
        NDArray refined = apply(refine, ps, attended, training);
        release(ps, attended);
        return refined;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Sequence classifier = conv6 != null ? conv6 : conv7;
        Shape branch = inputShapes[0];
        Shape out = outputShape(classifier, new Shape(branch.get(0), branchChannels, branch.get(2), branch.get(3)));
        Shape[] shapes = new Shape[type.outputCount()];
        java.util.Arrays.fill(shapes, out);
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        if (sa != null) {
            Shape inner = init(conv5a, manager, dataType, in);
            init(sa, manager, dataType, inner);
            init(conv51, manager, dataType, inner);
            init(conv6, manager, dataType, inner);
            initIfPresent(conv8, manager, dataType, inner);
        }
        if (sc != null) {
            Shape inner = init(conv5c, manager, dataType, in);
            init(sc, manager, dataType, inner);
            init(conv52, manager, dataType, inner);
            init(conv7, manager, dataType, inner);
        }
    }

    private static void initIfPresent(Sequence block, NDManager manager, DataType type, Shape in) {
        if (block != null) {
            init(block, manager, type, in);
        }
    }
}
