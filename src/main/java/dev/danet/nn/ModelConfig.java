package dev.danet.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Everything needed to build a segmentation network; saved with every checkpoint, so a
 * checkpoint loads back without flags.
 *
 * @param backbone the ResNet variant
 * @param width channels of the first stage (torchvision: 64); smaller widths give CPU-sized models
 * @param stem the layers before the max pool: a 7x7 convolution or one of the deep stems
 * @param outputStride 8 (dilated layer3 and layer4, as DANet) or 16 (dilated layer4 only)
 * @param multiGrid layer4's three blocks use dilation rates 1, 2, 4 times its base rate
 * @param head the segmentation head
 * @param fcnStyle how an FCN head is built (only read when head is FCN)
 * @param aux an auxiliary FCN head on layer3 (used in training only)
 * @param classes number of classes the score maps have
 * @param alignCorners whether the final bilinear upsampling of the score maps aligns corners (the
 *                     reference DANet and mmsegmentation's 769x769 models do; torchvision and
 *                     mmsegmentation's other models do not)
 * @param scales the Attention-to-Scale wrapper: input scales and fusion; null for a single-scale
 *               network (and left out of the saved JSON, so older checkpoints read as before)
 * @param headChannels the width of the head's branches (FCN's conv5, DANet's conv5a/c, PAM's values;
 *                     PAM's queries and keys get an eighth of it); null for the reference's
 *                     features / 4, and then left out of the saved JSON as {@code scales} is
 */
public record ModelConfig(
        ResNetDepth backbone,
        int width,
        Stem stem,
        int outputStride,
        boolean multiGrid,
        HeadType head,
        FcnStyle fcnStyle,
        boolean aux,
        int classes,
        boolean alignCorners,
        @JsonInclude(JsonInclude.Include.NON_NULL) ScaleConfig scales,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer headChannels) {

    public ModelConfig {
        if (backbone == null || head == null || stem == null || fcnStyle == null) {
            throw new IllegalArgumentException("backbone, stem, head and FCN style must be set");
        }
        if (outputStride != 8 && outputStride != 16) {
            throw new IllegalArgumentException("output stride must be 8 or 16, got " + outputStride);
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        if (headChannels != null && headChannels < 1) {
            throw new IllegalArgumentException("head channels must be positive, got " + headChannels);
        }
        long inter = headChannels != null ? headChannels : 8L * width * backbone.expansion() / 4; // long: no wrap
        if (head.usesPositionAttention() && inter / 8 < 1) {
            throw new IllegalArgumentException(headChannels != null
                    ? "head channels " + headChannels + " leave position attention no query channels (needs 8 or more)"
                    : "width " + width + " is too small for position attention");
        }
    }

    /** A configuration with the reference's head width, features / 4. */
    public ModelConfig(ResNetDepth backbone, int width, Stem stem, int outputStride, boolean multiGrid, HeadType head,
            FcnStyle fcnStyle, boolean aux, int classes, boolean alignCorners, ScaleConfig scales) {
        this(backbone, width, stem, outputStride, multiGrid, head, fcnStyle, aux, classes, alignCorners, scales, null);
    }

    /**
     * Reads the saved JSON. Checkpoints written before the stem, FCN style and upsampling became
     * settings say {@code "deepStem": true|false} and mean the reference's choices.
     */
    @JsonCreator
    static ModelConfig fromJson(@JsonProperty("backbone") ResNetDepth backbone, @JsonProperty("width") int width,
            @JsonProperty("stem") Stem stem, @JsonProperty("deepStem") Boolean deepStem,
            @JsonProperty("outputStride") int outputStride, @JsonProperty("multiGrid") boolean multiGrid,
            @JsonProperty("head") HeadType head, @JsonProperty("fcnStyle") FcnStyle fcnStyle,
            @JsonProperty("aux") boolean aux, @JsonProperty("classes") int classes,
            @JsonProperty("alignCorners") Boolean alignCorners, @JsonProperty("scales") ScaleConfig scales,
            @JsonProperty("headChannels") Integer headChannels) {
        Stem chosen = stem != null ? stem : Boolean.TRUE.equals(deepStem) ? Stem.DEEP : Stem.CONV7;
        return new ModelConfig(backbone, width, chosen, outputStride, multiGrid, head,
                fcnStyle != null ? fcnStyle : FcnStyle.ONE_CONV, aux, classes,
                alignCorners == null || alignCorners, scales, headChannels);
    }

    /** A single-scale network with the reference's FCN head and align_corners upsampling. */
    public ModelConfig(ResNetDepth backbone, int width, boolean deepStem, int outputStride, boolean multiGrid,
            HeadType head, boolean aux, int classes) {
        this(backbone, width, deepStem ? Stem.DEEP : Stem.CONV7, outputStride, multiGrid, head, FcnStyle.ONE_CONV,
                aux, classes, true, null);
    }

    /** DANet on a torchvision-width backbone with output stride 8, as the paper. */
    public static ModelConfig danet(ResNetDepth backbone, int classes) {
        return new ModelConfig(backbone, 64, false, 8, false, HeadType.DANET, false, classes);
    }

    /** Whether the stem is one of the deep (three 3x3 convolutions) stems. */
    @JsonIgnore
    public boolean deepStem() {
        return stem.deep();
    }

    public ModelConfig withHead(HeadType newHead) {
        return new ModelConfig(backbone, width, stem, outputStride, multiGrid, newHead, fcnStyle, aux, classes,
                alignCorners, scales, headChannels);
    }

    public ModelConfig withClasses(int newClasses) {
        return new ModelConfig(backbone, width, stem, outputStride, multiGrid, head, fcnStyle, aux, newClasses,
                alignCorners, scales, headChannels);
    }

    public ModelConfig withOutputStride(int stride, boolean grid) {
        return new ModelConfig(backbone, width, stem, stride, grid, head, fcnStyle, aux, classes, alignCorners,
                scales, headChannels);
    }

    public ModelConfig withAux(boolean withAux) {
        return new ModelConfig(backbone, width, stem, outputStride, multiGrid, head, fcnStyle, withAux, classes,
                alignCorners, scales, headChannels);
    }

    public ModelConfig withStem(Stem newStem) {
        return new ModelConfig(backbone, width, newStem, outputStride, multiGrid, head, fcnStyle, aux, classes,
                alignCorners, scales, headChannels);
    }

    public ModelConfig withFcnStyle(FcnStyle style) {
        return new ModelConfig(backbone, width, stem, outputStride, multiGrid, head, style, aux, classes,
                alignCorners, scales, headChannels);
    }

    public ModelConfig withAlignCorners(boolean align) {
        return new ModelConfig(backbone, width, stem, outputStride, multiGrid, head, fcnStyle, aux, classes, align,
                scales, headChannels);
    }

    /** The same network with branches of this width in its head (null: the reference's features / 4). */
    public ModelConfig withHeadChannels(Integer channels) {
        return new ModelConfig(backbone, width, stem, outputStride, multiGrid, head, fcnStyle, aux, classes,
                alignCorners, scales, channels);
    }

    /** The same network wrapped for several input scales (null: single scale). */
    public ModelConfig withScales(ScaleConfig newScales) {
        return new ModelConfig(backbone, width, stem, outputStride, multiGrid, head, fcnStyle, aux, classes,
                alignCorners, newScales, headChannels);
    }

    /** Whether this is the Attention-to-Scale wrapper around the base network. */
    @JsonIgnore
    public boolean multiScale() {
        return scales != null;
    }

    /** The base network alone: the same configuration without the scales. */
    @JsonIgnore
    public ModelConfig base() {
        return withScales(null);
    }

    /**
     * Width of the scale-attention head's hidden layer: the head's own reduction, features / 4,
     * which is the paper's 512 for ResNet-50/101 at full width and shrinks with CPU-sized models.
     */
    @JsonIgnore
    public int scaleAttentionChannels() {
        return featureChannels() / 4;
    }

    /** Width of the head's branches: the setting, or the reference's features / 4. */
    @JsonIgnore
    public int headBranchChannels() {
        return headChannels != null ? headChannels : featureChannels() / 4;
    }

    /** Channels of layer4's output, the head's input. */
    @JsonIgnore
    public int featureChannels() {
        return 8 * width * backbone.expansion();
    }

    /** Channels of layer3's output, the auxiliary head's input. */
    @JsonIgnore
    public int layer3Channels() {
        return 4 * width * backbone.expansion();
    }

    /** One line for logs and `info`. */
    public String describe() {
        return String.format("%s head%s%s on %s (width %d%s), output stride %d%s%s, %d classes%s%s",
                head.id(), head == HeadType.FCN && fcnStyle != FcnStyle.ONE_CONV ? " (" + fcnStyle.id() + ")" : "",
                headChannels != null ? " of " + headChannels + " channels" : "",
                backbone.id(), width, stem == Stem.CONV7 ? "" : ", " + stem.id() + " stem", outputStride,
                multiGrid ? ", multi-grid" : "", aux ? ", aux head" : "", classes,
                alignCorners ? "" : ", upsampling without align_corners",
                scales != null ? ", scales " + scales.describe() : "");
    }
}
