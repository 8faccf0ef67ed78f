package dev.danet.djl;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.danet.api.Segmenter;
import dev.danet.DanetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.Arrays;
import java.util.Map;

/**
 * Makes the DJL block of a DANet weights file (DJL's {@code blockFactory} argument). The model
 * path is the weights file, or a folder holding it (see {@link #weightsFile}); the Criteria arguments {@code flip} ("true"), {@code scales}
 * ("0.75,1,1.25") and {@code windowSize} ("769") set how it runs, as {@link Segmenter.Builder}
 * does. The segmenter is closed with the model.
 */
public final class DanetBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;
    private static final Pattern WEIGHTS = Pattern.compile("(.+)\\.(danet|pth|pt|pth\\.tar)");

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) throws IOException {
        Segmenter.Builder builder = Segmenter.builder(weightsFile(modelPath, model.getName(), arguments));
        Object flip = arguments.get("flip");
        if (flip != null) {
            builder.flip(Boolean.parseBoolean(flip.toString()));
        }
        Object scales = arguments.get("scales");
        if (scales != null) {
            builder.scales(Arrays.stream(scales.toString().split(",")).map(String::trim)
                    .mapToDouble(Double::parseDouble).toArray());
        }
        Object window = arguments.get("windowSize");
        if (window != null) {
            builder.windowSize(Integer.parseInt(window.toString().trim()));
        }
        Segmenter segmenter = builder.build();
        // The model's manager closes what is attached to it: the weights go with the ZooModel.
        model.getNDManager().attachInternal("danet-segmenter-" + System.identityHashCode(segmenter), segmenter);
        return new SegmenterBlock(segmenter);
    }

    /**
     * The weights file: DJL hands over the folder of the model path. In it, the file the
     * {@code weights} argument names, else the one whose name without extension is the model's
     * name (a model path's file name), else the only weights file there.
     */
    static Path weightsFile(Path modelPath, String modelName, Map<String, ?> arguments) throws IOException {
        if (Files.isRegularFile(modelPath)) {
            return modelPath;
        }
        Object named = arguments.get("weights");
        if (named != null) {
            return modelPath.resolve(named.toString());
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.list(modelPath)) {
            candidates = files.filter(Files::isRegularFile).filter(f -> WEIGHTS.matcher(f.getFileName().toString())
                    .matches()).sorted().toList();
        }
        List<Path> byName = candidates.stream().filter(f -> stem(f).equals(modelName)).toList();
        if (byName.size() == 1) {
            return byName.get(0);
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        throw new DanetException(modelPath + ": holds " + (candidates.isEmpty() ? "no" : candidates.size())
                + " weights files (.danet, .pth, .pt, .pth.tar) and none is named " + modelName
                + "; give the file itself as the model path, or its name as the argument weights");
    }

    private static String stem(Path file) {
        Matcher m = WEIGHTS.matcher(file.getFileName().toString());
        return m.matches() ? m.group(1) : file.getFileName().toString();
    }
}
