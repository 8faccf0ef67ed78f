package dev.danet.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Everything needed to build a segmentation network; saved with every checkpoint, so a
 * checkpoint loads back without flags.
 *
 * @param backbone the ResNet variant
 * @param width channels of the first stage (torchvision: 64); smaller widths give CPU-sized models
 * @param deepStem three 3x3 convolutions instead of the 7x7 stem
 * @param outputStride 8 (dilated layer3 and layer4, as DANet) or 16 (dilated layer4 only)
 * @param multiGrid layer4's three blocks use dilation rates 1, 2, 4 times its base rate
 * @param head the segmentation head
 * @param aux an auxiliary FCN head on layer3 (used in training only)
 * @param classes number of classes the score maps have
 * @param scales the Attention-to-Scale wrapper: input scales and fusion; null for a single-scale
 *               network (and left out of the saved JSON, so older checkpoints read as before)
 */
public record ModelConfig(
        ResNetDepth backbone,
        int width,
        boolean deepStem,
        int outputStride,
        boolean multiGrid,
        HeadType head,
        boolean aux,
        int classes,
        @JsonInclude(JsonInclude.Include.NON_NULL) ScaleConfig scales) {

    @JsonCreator
    public ModelConfig {
        if (backbone == null || head == null) {
            throw new IllegalArgumentException("backbone and head must be set");
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
        int inter = 8 * width * backbone.expansion() / 4;
        if (head.usesPositionAttention() && inter / 8 < 1) {
            throw new IllegalArgumentException("width " + width + " is too small for position attention");
        }
    }

    /** A single-scale network. */
    public ModelConfig(ResNetDepth backbone, int width, boolean deepStem, int outputStride, boolean multiGrid,
            HeadType head, boolean aux, int classes) {
        this(backbone, width, deepStem, outputStride, multiGrid, head, aux, classes, null);
    }

    /** DANet on a torchvision-width backbone with output stride 8, as the paper. */
    public static ModelConfig danet(ResNetDepth backbone, int classes) {
        return new ModelConfig(backbone, 64, false, 8, false, HeadType.DANET, false, classes);
    }

    public ModelConfig withHead(HeadType newHead) {
        return new ModelConfig(backbone, width, deepStem, outputStride, multiGrid, newHead, aux, classes, scales);
    }

    public ModelConfig withClasses(int newClasses) {
        return new ModelConfig(backbone, width, deepStem, outputStride, multiGrid, head, aux, newClasses, scales);
    }

    public ModelConfig withOutputStride(int stride, boolean grid) {
        return new ModelConfig(backbone, width, deepStem, stride, grid, head, aux, classes, scales);
    }

    public ModelConfig withAux(boolean withAux) {
        return new ModelConfig(backbone, width, deepStem, outputStride, multiGrid, head, withAux, classes, scales);
    }

    /** The same network wrapped for several input scales (null: single scale). */
    public ModelConfig withScales(ScaleConfig newScales) {
        return new ModelConfig(backbone, width, deepStem, outputStride, multiGrid, head, aux, classes, newScales);
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
        return String.format("%s head on %s (width %d%s), output stride %d%s%s, %d classes%s",
                head.id(), backbone.id(), width, deepStem ? ", deep stem" : "", outputStride,
                multiGrid ? ", multi-grid" : "", aux ? ", aux head" : "", classes,
                scales != null ? ", scales " + scales.describe() : "");
    }
}
