package dev.danet.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.danet.io.ModelLoader;
import dev.danet.nn.HeadType;
import dev.danet.nn.ResNetDepth;
import java.io.Serializable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How to load a model, apart from which file: shared by {@link ModelOptions} (a required
 * --weights), {@link TrainedModelOptions} (--weights defaulting to the demo's model) and the
 * Spark jobs (a --weights every executor can find). Serializable so that a job can send the
 * flags as parsed to its executors, which turn them into the same {@link ModelLoader.Options}.
 */
public abstract class ModelLoadOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    @Option(names = "--backbone", paramLabel = "NAME",
            description = "Expected backbone (resnet18/34/50/101/152); inferred from the file when omitted.")
    String backbone;

    @Option(names = "--classes", paramLabel = "K",
            description = "Expected class count; inferred from the file when omitted.")
    Integer classes;

    @Option(names = "--head", paramLabel = "TYPE",
            description = "Expected head (danet, pam, cam, fcn); inferred from the file when omitted.")
    String head;

    @Option(names = "--output-stride", paramLabel = "8|16",
            description = "Backbone output stride; a .pth does not record it (default 8, as DANet).")
    Integer outputStride;

    @Option(names = "--multi-grid", negatable = true,
            description = "Multi-grid dilations (4, 8, 16) in layer4; a .pth does not record it (default off).")
    Boolean multiGrid;

    @Option(names = "--align-corners", negatable = true,
            description = "Upsample the scores with align_corners=True (--no-align-corners: False); a .pth does not"
                    + " record it (default: the checkpoint's meta, else True for reference DANet files, False for"
                    + " torchvision and mmsegmentation ones; mmseg's 769x769 models use True).")
    Boolean alignCorners;

    @Option(names = "--non-strict",
            description = "Load the tensors that fit and report the rest, instead of failing.")
    boolean nonStrict;

    @Option(names = "--device", paramLabel = "NAME", defaultValue = "cpu",
            description = "cpu, or gpu / gpu0 where a CUDA libtorch is installed (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", paramLabel = "TYPE", defaultValue = "float32",
            description = "Weight and compute type: float32 or float64 (float64: exact comparisons; default: ${DEFAULT-VALUE}).")
    String precision;

    /** The command this group belongs to, whose command line's global flags say how networks run. */
    @Spec(Spec.Target.MIXEE)
    transient CommandSpec command;

    /**
     * The loader's options for these flags.
     *
     * @throws dev.danet.DanetException for a flag value that names nothing known
     */
    public ModelLoader.Options toLoaderOptions() {
        DataType type = switch (precision.toLowerCase(java.util.Locale.ROOT)) {
            case "float32", "fp32" -> DataType.FLOAT32;
            case "float64", "fp64", "double" -> DataType.FLOAT64;
            default -> throw new dev.danet.DanetException("--precision must be float32 or float64, got " + precision);
        };
        return new ModelLoader.Options(
                backbone == null ? null : parse(() -> ResNetDepth.parse(backbone)),
                classes,
                head == null ? null : parse(() -> HeadType.parse(head)),
                outputStride,
                multiGrid,
                !nonStrict,
                Device.fromName(device),
                type,
                alignCorners,
                ExecutionFlags.of(command));
    }

    private static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new dev.danet.DanetException(e.getMessage());
        }
    }
}
