package dev.danet.serve;

import dev.danet.DanetException;
import dev.danet.synth.PaintedScene;
import dev.danet.synth.SyntheticScenes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Pictures the page offers to try without an upload: the first validation scenes of the
 * built-in synthetic set (painted on start, the same ones `./danet demo` validates on), plus
 * the images of an optional folder. Held as file bytes, posted back like any upload.
 */
final class SampleImages {

    /** Built-in synthetic scenes offered. */
    static final int SYNTHETIC = 4;
    /** Images taken from a samples folder at most. */
    static final int MAX_FOLDER_IMAGES = 24;

    private final Map<String, byte[]> files = new LinkedHashMap<>();

    SampleImages(Path folder, long maxBytes) {
        SyntheticScenes.Options options = SyntheticScenes.Options.defaults();
        for (int i = 0; i < SYNTHETIC; i++) {
            files.put("synthetic-val-" + i + ".png", png(SyntheticScenes.paint(options, "val", i)));
        }
        if (folder != null) {
            for (Path file : list(folder)) {
                try {
                    if (Files.size(file) <= maxBytes) {
                        files.put(file.getFileName().toString(), Files.readAllBytes(file));
                    }
                } catch (IOException e) {
                    throw new DanetException(file + ": cannot read: " + e.getMessage(), e);
                }
            }
        }
    }

    List<String> names() {
        return List.copyOf(files.keySet());
    }

    /** The sample's bytes, or a 404 problem. */
    byte[] get(String name) {
        byte[] bytes = files.get(name);
        if (bytes == null) {
            throw HttpProblem.notFound("no sample named '" + name + "'");
        }
        return bytes;
    }

    private static List<Path> list(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new DanetException(folder + ": no such folder (--samples wants a folder of images)");
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                            .matches(".*\\.(png|jpe?g|bmp|gif)"))
                    .sorted().limit(MAX_FOLDER_IMAGES).toList();
        } catch (IOException e) {
            throw new DanetException(folder + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static byte[] png(PaintedScene scene) {
        BufferedImage image = new BufferedImage(scene.width(), scene.height(), BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, scene.width(), scene.height(), scene.rgb(), 0, scene.width());
        return Pictures.png(image);
    }
}
