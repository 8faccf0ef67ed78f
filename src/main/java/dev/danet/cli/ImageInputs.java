package dev.danet.cli;

import dev.danet.IoProblems;
import dev.danet.DanetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The images named on a command line: files as given, folders searched recursively for image
 * files. Each gets an output stem: its name without extension, or its path inside the folder
 * given, so that outputs mirror the input tree and never collide silently.
 */
final class ImageInputs {

    /** An image file and the relative stem its outputs are named after. */
    record Input(Path file, String stem) {}

    static final String EXTENSIONS = ".png, .jpg, .jpeg, .bmp, .gif";

    private ImageInputs() {}

    /** The inputs in command-line order (folders sorted); files under {@code exclude} are skipped. */
    static List<Input> collect(List<Path> paths, Path exclude) {
        List<Input> inputs = new ArrayList<>();
        Path skip = exclude.toAbsolutePath().normalize();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                List<Path> files = list(path, skip);
                if (files.isEmpty()) {
                    throw new DanetException(path + ": no image files in this folder (looked for " + EXTENSIONS + ")");
                }
                for (Path file : files) {
                    inputs.add(new Input(file, stem(path.relativize(file).toString())));
                }
            } else if (Files.exists(path)) {
                inputs.add(new Input(path, stem(path.getFileName().toString())));
            } else {
                throw new DanetException(path + ": no such file or folder");
            }
        }
        Map<String, Path> seen = new HashMap<>();
        for (Input input : inputs) {
            Path other = seen.putIfAbsent(input.stem(), input.file());
            if (other != null) {
                throw new DanetException(input.file() + " and " + other + " would both write outputs named '"
                        + input.stem() + "_*'; segment them into different --out folders");
            }
        }
        return inputs;
    }

    static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp")
                || n.endsWith(".gif");
    }

    private static List<Path> list(Path folder, Path skip) {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> isImageName(p.getFileName().toString()))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !p.toAbsolutePath().normalize().startsWith(skip))
                    .sorted().toList();
        } catch (IOException e) {
            throw new DanetException(folder + ": cannot list: " + IoProblems.reason(e), e);
        }
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return dot > slash + 1 ? name.substring(0, dot) : name;
    }
}
