package dev.danet.io;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.danet.DanetException;
import dev.danet.io.layout.CheckpointLayout;
import dev.danet.io.layout.CheckpointLayouts;
import dev.danet.io.layout.ConfigInference;
import dev.danet.io.layout.MmsegMeta;
import dev.danet.io.torch.PthCheckpoint;
import dev.danet.io.torch.PthReader;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds a network from any weights file the project reads: its own checkpoint (configuration
 * and model card come with it), or a PyTorch checkpoint in one of the {@link CheckpointLayouts}
 * (the architecture is inferred from the keys; settings the weights do not record come from the
 * file's meta where it has one, else from the options, else from the layout's defaults). A
 * backbone-only file gets a head built from the options that starts random.
 */
public final class ModelLoader {

    /**
     * What the user said about the model; null fields mean "take it from the file".
     *
     * @param backbone expected backbone (checked against the file)
     * @param classes expected class count (checked against the file; required for a backbone-only file)
     * @param head head for a backbone-only file (checked against a model file)
     * @param outputStride 8 or 16 (a .pth does not record it; default 8)
     * @param multiGrid multi-grid dilations in layer4 (a .pth does not record it; default off)
     * @param strict every key must match
     * @param device where the weights live (null: the engine's default)
     * @param dataType weight type: float32, or float64 for exact parity checks
     * @param alignCorners the final upsampling's align_corners (default: the file's meta, else the layout's)
     * @param execution how the network runs (attention memory, batch-norm folding, ...)
     */
    public record Options(ResNetDepth backbone, Integer classes, HeadType head, Integer outputStride,
            Boolean multiGrid, boolean strict, Device device, DataType dataType, Boolean alignCorners,
            ExecutionOptions execution) {

        public Options(ResNetDepth backbone, Integer classes, HeadType head, Integer outputStride, Boolean multiGrid,
                boolean strict, Device device, DataType dataType, Boolean alignCorners) {
            this(backbone, classes, head, outputStride, multiGrid, strict, device, dataType, alignCorners,
                    ExecutionOptions.DEFAULTS);
        }

        public Options(ResNetDepth backbone, Integer classes, HeadType head, Integer outputStride, Boolean multiGrid,
                boolean strict, Device device, DataType dataType) {
            this(backbone, classes, head, outputStride, multiGrid, strict, device, dataType, null);
        }

        public static Options defaults() {
            return new Options(null, null, null, null, null, true, null, DataType.FLOAT32, null);
        }

        public Options withDataType(DataType type) {
            return new Options(backbone, classes, head, outputStride, multiGrid, strict, device, type, alignCorners,
                    execution);
        }

        public Options withOutputStride(int stride, boolean grid) {
            return new Options(backbone, classes, head, stride, grid, strict, device, dataType, alignCorners,
                    execution);
        }

        public Options withStrict(boolean isStrict) {
            return new Options(backbone, classes, head, outputStride, multiGrid, isStrict, device, dataType,
                    alignCorners, execution);
        }

        public Options withAlignCorners(Boolean align) {
            return new Options(backbone, classes, head, outputStride, multiGrid, strict, device, dataType, align,
                    execution);
        }

        public Options withExecution(ExecutionOptions options) {
            return new Options(backbone, classes, head, outputStride, multiGrid, strict, device, dataType,
                    alignCorners, options);
        }
    }

    /** A loaded network and what it says about itself. Close it to free the weights. */
    public record Loaded(Network network, ModelCard card) implements AutoCloseable {
        @Override
        public void close() {
            network.close();
        }
    }

    private ModelLoader() {}

    public static Network load(Path file, Options options, PrintStream log) {
        return open(file, options, log).network();
    }

    public static Loaded open(Path file, Options options, PrintStream log) {
        Loaded loaded = read(file, options, log);
        // The file's bytes, as large as the weights, went through the Java heap and are garbage
        // now that read has returned. The collector would reuse that memory but never hand it
        // back (G1 gives memory back to the system only in a full collection): one now, while
        // the heap holds little else, takes the process back down by the file's size before
        // the first forward pass (docs/performance.md, "Process memory").
        System.gc();
        return loaded;
    }

    /** The model, with the file's bytes still referenced until it returns. */
    private static Loaded read(Path file, Options options, PrintStream log) {
        if (!Files.isRegularFile(file)) {
            throw new DanetException(file + ": no such file");
        }
        if (ModelCheckpoint.claimsToBeCheckpoint(file)) {
            return openCheckpoint(file, options, log);
        }
        PthCheckpoint pth = PthReader.readCheckpoint(file);
        Map<String, TensorData> keys = CheckpointLayouts.stripModulePrefix(pth.stateDict());
        CheckpointLayout layout = CheckpointLayouts.detect(keys, file.toString());
        Map<String, TensorData> state = layout.toProjectNames(keys);
        ConfigInference.Inferred inferred = ConfigInference.infer(state, layout.backboneOnly(), file.toString());
        MmsegMeta meta = MmsegMeta.read(pth.meta());
        check(file, "backbone", options.backbone(), inferred.backbone());
        int stride = options.outputStride() != null ? options.outputStride() : 8;
        boolean grid = options.multiGrid() != null && options.multiGrid();
        boolean align = options.alignCorners() != null ? options.alignCorners()
                : meta.alignCorners() != null ? meta.alignCorners() : layout.alignCornersByDefault();
        ModelConfig config;
        if (!layout.backboneOnly()) {
            check(file, "classes", options.classes(), inferred.classes());
            check(file, "head", options.head(), inferred.head());
            config = config(file, () -> new ModelConfig(inferred.backbone(), inferred.width(), inferred.stem(),
                    stride, grid, inferred.head(), inferred.fcnStyle(), inferred.aux(), inferred.classes(), align,
                    null, inferred.headChannels()));
        } else {
            if (options.classes() == null) {
                throw new DanetException(file + ": holds a " + inferred.backbone().id()
                        + " backbone only; say how many classes the head has with --classes");
            }
            HeadType head = options.head() != null ? options.head() : HeadType.DANET;
            config = config(file, () -> new ModelConfig(inferred.backbone(), inferred.width(), inferred.stem(),
                    stride, grid, head, dev.danet.nn.FcnStyle.ONE_CONV, false, options.classes(), align, null));
            log.println("note: " + file + " holds backbone weights only; the " + head.id() + " head starts random");
        }
        ModelCard card = card(layout, meta, config.classes(), file);
        StateDictLoader.Scope scope = layout.backboneOnly() ? StateDictLoader.Scope.BACKBONE
                : StateDictLoader.Scope.MODEL;
        return new Loaded(build(file, config, state, scope, options, log), card);
    }

    private static Loaded openCheckpoint(Path file, Options options, PrintStream log) {
        ModelCheckpoint.Header header = ModelCheckpoint.readHeader(file);
        ModelConfig config = header.config();
        check(file, "backbone", options.backbone(), config.backbone());
        check(file, "classes", options.classes(), config.classes());
        check(file, "head", options.head(), config.head());
        if (options.outputStride() != null || options.multiGrid() != null) {
            config = config.withOutputStride(
                    options.outputStride() != null ? options.outputStride() : config.outputStride(),
                    options.multiGrid() != null ? options.multiGrid() : config.multiGrid());
        }
        if (options.alignCorners() != null) {
            config = config.withAlignCorners(options.alignCorners());
        }
        Network network = build(file, config, ModelCheckpoint.readWeights(file), StateDictLoader.Scope.MODEL, options,
                log);
        return new Loaded(network, header.card());
    }

    /** The configuration the file's tensors imply; one that cannot be built is the file's fault. */
    private static ModelConfig config(Path file, java.util.function.Supplier<ModelConfig> inferred) {
        try {
            return inferred.get();
        } catch (IllegalArgumentException e) {
            throw new DanetException(file + ": its tensors describe no model this tool builds: " + e.getMessage(), e);
        }
    }

    /**
     * The card of a PyTorch checkpoint: mmseg's meta where it has one; torchvision's FCNs predict
     * VOC's 21 classes; otherwise names come from the class count later.
     */
    private static ModelCard card(CheckpointLayout layout, MmsegMeta meta, int classes, Path file) {
        ModelCard card = ModelCard.defaults().withSource(layout.id() + " checkpoint " + file.getFileName());
        if (layout == CheckpointLayouts.TORCHVISION_FCN) {
            // torchvision's reference evaluation resizes the short side to 520 and runs the whole image.
            card = card.withTestRecipe(TestRecipe.WHOLE.withResize(0, 520));
            if (classes == 21) {
                dev.danet.data.ClassSet voc = dev.danet.data.ClassSet.voc();
                card = card.withClasses(voc.names(), voc.colours());
            }
        }
        if (meta.classNames().size() == classes) {
            int[] palette = meta.palette().length == classes ? meta.palette() : new int[0];
            card = card.withClasses(meta.classNames(), palette);
        }
        return new ModelCard(card.classNames(), card.palette(),
                meta.normalization() != null ? meta.normalization() : card.normalization(),
                meta.testRecipe() != null ? meta.testRecipe() : card.testRecipe(),
                meta.reduceZeroLabel() != null && meta.reduceZeroLabel(), card.source());
    }

    private static Network build(Path file, ModelConfig config, Map<String, TensorData> state,
            StateDictLoader.Scope scope, Options options, PrintStream log) {
        ConfigPlausibility.check(file, config, state, scope, options.strict());
        Network network = Network.create(config, options.device(),
                options.dataType() == null ? DataType.FLOAT32 : options.dataType(),
                options.execution() == null ? ExecutionOptions.DEFAULTS : options.execution());
        try {
            StateDictLoader.Report report = StateDictLoader.load(network, state, scope, options.strict(),
                    file.toString());
            if (!report.complete()) {
                log.println("warning: " + file + ": loaded " + report.loaded() + " tensors; "
                        + StateDictLoader.problems(report));
            }
            if (!report.nonFinite().isEmpty()) {
                log.println("warning: " + file + ": " + StateDictLoader.nonFiniteWarning(report));
            }
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    private static <T> void check(Path file, String what, T requested, T actual) {
        if (requested != null && !requested.equals(actual)) {
            throw new DanetException(file + ": has " + what + " " + name(actual) + ", but " + name(requested)
                    + " was requested; drop the flag or pick the matching file");
        }
    }

    private static String name(Object value) {
        if (value instanceof ResNetDepth d) {
            return d.id();
        }
        if (value instanceof HeadType h) {
            return h.id();
        }
        return String.valueOf(value);
    }
}
