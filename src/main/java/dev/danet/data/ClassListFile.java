package dev.danet.data;

import dev.danet.IoProblems;
import dev.danet.DanetException;
import dev.danet.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The class list of a custom dataset: one class per line, in label order, as "name" or
 * "name r g b" or "name #rrggbb"; blank lines and lines starting with # are skipped. Classes
 * without a colour get the VOC colour of their index.
 */
public final class ClassListFile {

    private ClassListFile() {}

    public static ClassSet read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DanetException(file + ": no class list (write one class per line: name [r g b])");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new DanetException(file + ": cannot read: " + IoProblems.reason(e), e);
        }
        List<String> names = new ArrayList<>();
        List<Integer> colours = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            try {
                if (parts.length >= 4 && isInt(parts[parts.length - 1])) {
                    int r = channel(parts[parts.length - 3]);
                    int g = channel(parts[parts.length - 2]);
                    int b = channel(parts[parts.length - 1]);
                    names.add(String.join(" ", java.util.Arrays.copyOf(parts, parts.length - 3)));
                    colours.add((r << 16) | (g << 8) | b);
                } else if (parts.length >= 2 && parts[parts.length - 1].matches("#[0-9a-fA-F]{6}")) {
                    names.add(String.join(" ", java.util.Arrays.copyOf(parts, parts.length - 1)));
                    colours.add(Integer.parseInt(parts[parts.length - 1].substring(1), 16));
                } else {
                    names.add(line);
                    colours.add(ClassSet.vocColours(names.size(), 1)[0]);
                }
            } catch (IllegalArgumentException e) {
                throw new DanetException(file + ":" + (n + 1) + ": " + e.getMessage() + " in '" + line + "'");
            }
        }
        if (names.isEmpty()) {
            throw new DanetException(file + ": lists no classes");
        }
        if (names.size() > 255) {
            throw new DanetException(file + ": lists " + names.size() + " classes; at most 255 are supported");
        }
        return new ClassSet("folder", names, colours.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Writes the classes as a class list, "name r g b" per line in label order, under a comment
     * saying that a label PNG's value v is the v-th class.
     */
    public static void write(Path file, ClassSet classes) {
        StringBuilder text = new StringBuilder("# classes in label order: label PNG value v is the v-th class below,"
                + " counting from 0\n");
        for (int i = 0; i < classes.size(); i++) {
            int c = classes.colours()[i];
            text.append(String.format(Locale.ROOT, "%s %d %d %d%n", classes.names().get(i), (c >> 16) & 255,
                    (c >> 8) & 255, c & 255));
        }
        AtomicFiles.write(file, o -> o.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean isInt(String s) {
        return s.matches("\\d+");
    }

    private static int channel(String s) {
        int v = Integer.parseInt(s);
        if (v > 255) {
            throw new IllegalArgumentException("colour value " + v + " above 255");
        }
        return v;
    }
}
