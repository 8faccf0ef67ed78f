package dev.danet.data;

import dev.danet.IoProblems;
import dev.danet.DanetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** File listing helpers shared by the layouts: sorted, filtered, with clear errors. */
final class Listing {

    private Listing() {}

    static Path requireDirectory(Path dir, DatasetLayout layout) {
        if (!Files.isDirectory(dir)) {
            throw new DanetException(dir + ": no such folder (the " + layout.id() + " layout expects "
                    + layout.expectedStructure() + ")");
        }
        return dir;
    }

    /** Files directly in dir whose lower-case name ends with one of the suffixes, sorted by name. */
    static List<Path> files(Path dir, String... suffixes) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> endsWithAny(p.getFileName().toString().toLowerCase(Locale.ROOT), suffixes))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DanetException(dir + ": cannot list: " + IoProblems.reason(e), e);
        }
    }

    /** Sub-folders of dir, sorted by name. */
    static List<Path> folders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new DanetException(dir + ": cannot list: " + IoProblems.reason(e), e);
        }
    }

    /** Non-blank lines of a split list such as ImageSets/Segmentation/train.txt. */
    static List<String> splitIds(Path file) {
        if (!Files.isRegularFile(file)) {
            Path folder = file.getParent();
            throw new DanetException(file + ": no such split list" + (Files.isDirectory(folder)
                    ? "; the splits listed there are " + files(folder, ".txt").stream().map(Listing::stem).toList()
                    : " (its folder is missing)"));
        }
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new DanetException(file + ": cannot read: " + IoProblems.reason(e), e);
        }
    }

    /** The sample, or a report to bad when its label file is missing. */
    static void pair(List<SampleRef> out, String id, Path image, Path label, BadSamples bad) {
        if (!Files.isRegularFile(image)) {
            bad.report(new DanetException(image + ": image listed for the split is missing"));
        } else if (!Files.isRegularFile(label)) {
            bad.report(new DanetException(image + ": has no label (expected " + label + ")"));
        } else {
            out.add(new SampleRef(id, image, label));
        }
    }

    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static boolean endsWithAny(String name, String... suffixes) {
        for (String s : suffixes) {
            if (name.endsWith(s.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
