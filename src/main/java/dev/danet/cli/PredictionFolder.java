package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.IoProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A folder of per-image outputs that appears only when whole: files go to NAME.partial/, which
 * replaces NAME/ once every image is done. An interrupted run leaves NAME.partial/ (removed by
 * the next run), never a NAME/ that looks complete but is not.
 */
final class PredictionFolder {

    private final Path target;
    private final Path partial;

    private PredictionFolder(Path target) {
        this.target = target;
        this.partial = target.resolveSibling(target.getFileName() + ".partial");
    }

    /** Starts afresh: an earlier run's unfinished folder is removed. */
    static PredictionFolder start(Path target) {
        PredictionFolder folder = new PredictionFolder(target);
        deleteTree(folder.partial);
        return folder;
    }

    /** Where a file of the folder is written while the run goes on. */
    Path file(String relative) {
        return partial.resolve(relative);
    }

    /** Puts the finished folder in place of the old one. */
    void finish() {
        try {
            Files.createDirectories(partial);
            deleteTree(target);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DanetException(target + ": cannot put the finished folder in place: " + IoProblems.reason(e), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new DanetException(root + ": cannot remove: " + IoProblems.reason(e), e);
        }
    }
}
