package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.ResNetDepth;
import dev.danet.nn.ScaleConfig;
import dev.danet.nn.ScaleFusion;
import dev.danet.nn.Stem;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * The flags that describe a network to build. Each one given changes that part of the
 * command's starting architecture (its recipe's, or the reference DANet-ResNet-50's); the rest
 * stays as it was.
 */
final class ArchitectureOptions {

    @Option(names = "--model", paramLabel = "HEAD", description = "danet, pam, cam or fcn (reference: danet).")
    String head;

    @Option(names = "--backbone",
            description = "resnet18, resnet34, resnet50, resnet101 or resnet152 (reference: resnet50).")
    String backbone;

    @Option(names = "--width",
            description = "Channels of the first ResNet stage; 64 is torchvision's, smaller is CPU-sized (reference: 64).")
    Integer width;

    @Option(names = "--head-channels", paramLabel = "N",
            description = "Width of the head's branches (FCN's conv, DANet's conv5a/c and PAM's values; PAM's queries"
                    + " and keys get N/8) (reference: the backbone's output channels / 4, 512 for ResNet-50).")
    Integer headChannels;

    @Option(names = "--deep-stem", description = "Three 3x3 convolutions instead of the 7x7 stem (= --stem deep).")
    boolean deepStem;

    @Option(names = "--stem", paramLabel = "7x7|deep|v1c",
            description = "The layers before the max pool: 7x7 (torchvision), deep (3x3 convs to w, w, 2w, as the"
                    + " reference's deep base) or v1c (3x3 convs to w/2, w/2, w, as mmsegmentation's ResNetV1c;"
                    + " use it with --backbone-init from an mmseg or mmcv V1c file) (reference: 7x7).")
    String stem;

    @Option(names = "--output-stride", description = "8 or 16 (reference: 8).")
    Integer outputStride;

    @Option(names = "--multi-grid", description = "Multi-grid dilations (4, 8, 16) in layer4.")
    boolean multiGrid;

    @Option(names = "--aux", description = "Auxiliary FCN head on layer3 (mmseg style).")
    boolean aux;

    @Option(names = "--scales", split = ",", paramLabel = "S,S,...",
            description = "Attention to Scale: run one shared network on the input at each scale and fuse the score"
                    + " maps, e.g. 1,0.75,0.5 as the paper (reference: single scale). Saved with the model.")
    double[] scales;

    @Option(names = "--fusion", paramLabel = "KIND",
            description = "How the scales are fused: attention (learned per-pixel weights), average or max"
                    + " (default: attention).")
    String fusion;

    /** The starting architecture with every flag given applied. */
    ModelConfig applyTo(ModelConfig start) {
        Stem chosenStem = stem != null ? Flags.check(() -> Stem.parse(stem)) : deepStem ? Stem.DEEP : start.stem();
        if (deepStem && chosenStem != Stem.DEEP) {
            throw new DanetException("--deep-stem and --stem " + stem + " disagree; give one");
        }
        return Flags.check(() -> new ModelConfig(backbone != null ? ResNetDepth.parse(backbone) : start.backbone(),
                width != null ? width : start.width(), chosenStem,
                outputStride != null ? outputStride : start.outputStride(), multiGrid || start.multiGrid(),
                head != null ? HeadType.parse(head) : start.head(), start.fcnStyle(), aux || start.aux(),
                start.classes(), start.alignCorners(), scales(start.scales()),
                headChannels != null ? headChannels : start.headChannels()));
    }

    private ScaleConfig scales(ScaleConfig start) {
        ScaleFusion chosen = fusion != null ? Flags.check(() -> ScaleFusion.parse(fusion)) : null;
        if (scales != null) {
            ScaleFusion kept = chosen != null ? chosen : start != null ? start.fusion() : ScaleFusion.ATTENTION;
            return Flags.check(() -> new ScaleConfig(Arrays.stream(scales).boxed().toList(), kept));
        }
        if (chosen != null) {
            if (start == null) {
                throw new DanetException("--fusion needs --scales, e.g. --scales 1,0.75,0.5");
            }
            return new ScaleConfig(start.scales(), chosen);
        }
        return start;
    }
}
