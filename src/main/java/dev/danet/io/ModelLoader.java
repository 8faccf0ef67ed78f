package dev.danet.io;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.danet.DanetException;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds a network from any weights file the project reads: its own checkpoint (the
 * configuration comes with it), a reference DANet .pth (the architecture is inferred from
 * the keys; output stride and multi-grid come from the options), or a torchvision ResNet
 * .pth (the backbone only: the head is built from the options and starts random).
 */
public final class ModelLoader {

    /**
     * What the user said about the model; null fields mean "take it from the file".
     *
     * @param backbone expected backbone (checked against the file)
     * @param classes expected class count (checked against the file; required for a backbone-only file)
     * @param head head for a backbone-only file (checked against a model file)
     * @param outputStride 8 or 16 (a reference .pth does not record it; default 8)
     * @param multiGrid multi-grid dilations in layer4 (a reference .pth does not record it; default off)
     * @param strict every key must match
     * @param device where the weights live (null: the engine's default)
     * @param dataType weight type: float32, or float64 for exact parity checks
     */
    public record Options(ResNetDepth backbone, Integer classes, HeadType head, Integer outputStride,
            Boolean multiGrid, boolean strict, Device device, DataType dataType) {

        public static Options defaults() {
            return new Options(null, null, null, null, null, true, null, DataType.FLOAT32);
        }

        public Options withDataType(DataType type) {
            return new Options(backbone, classes, head, outputStride, multiGrid, strict, device, type);
        }

        public Options withOutputStride(int stride, boolean grid) {
            return new Options(backbone, classes, head, stride, grid, strict, device, dataType);
        }

        public Options withStrict(boolean isStrict) {
            return new Options(backbone, classes, head, outputStride, multiGrid, isStrict, device, dataType);
        }
    }

    private ModelLoader() {}

    public static Network load(Path file, Options options, PrintStream log) {
        if (!Files.isRegularFile(file)) {
            throw new DanetException(file + ": no such file");
        }
        if (ModelCheckpoint.isCheckpoint(file)) {
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
            return build(file, config, ModelCheckpoint.readWeights(file), StateDictLoader.Scope.MODEL, options, log);
        }
        Map<String, TensorData> state = PthReader.readStateDict(file);
        ConfigInference.Inferred inferred = ConfigInference.infer(state, file.toString());
        check(file, "backbone", options.backbone(), inferred.backbone());
        int stride = options.outputStride() != null ? options.outputStride() : 8;
        boolean grid = options.multiGrid() != null && options.multiGrid();
        ModelConfig config;
        if (inferred.scope() == StateDictLoader.Scope.MODEL) {
            check(file, "classes", options.classes(), inferred.classes());
            check(file, "head", options.head(), inferred.head());
            config = new ModelConfig(inferred.backbone(), inferred.width(), inferred.deepStem(), stride, grid,
                    inferred.head(), inferred.aux(), inferred.classes());
        } else {
            if (options.classes() == null) {
                throw new DanetException(file + ": holds a " + inferred.backbone().id()
                        + " backbone only; say how many classes the head has with --classes");
            }
            HeadType head = options.head() != null ? options.head() : HeadType.DANET;
            config = new ModelConfig(inferred.backbone(), inferred.width(), inferred.deepStem(), stride, grid,
                    head, false, options.classes());
            log.println("note: " + file + " holds backbone weights only; the " + head.id() + " head starts random");
        }
        return build(file, config, state, inferred.scope(), options, log);
    }

    private static Network build(Path file, ModelConfig config, Map<String, TensorData> state,
            StateDictLoader.Scope scope, Options options, PrintStream log) {
        Network network = Network.create(config, options.device(),
                options.dataType() == null ? DataType.FLOAT32 : options.dataType());
        try {
            StateDictLoader.Report report = StateDictLoader.load(network, state, scope, options.strict(),
                    file.toString());
            if (!report.complete()) {
                log.println("warning: " + file + ": loaded " + report.loaded() + " tensors; "
                        + StateDictLoader.problems(report));
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
