package dev.danet;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a file under a temporary name beside it and renames it into place, so a reader
 * never sees a half-written file and a crash leaves the old version intact.
 *
 * <p>A temporary name holds the writing process's id (".NAME.PID-RANDOM.tmp"). A process killed
 * mid-write (kill -9, power loss) leaves its temporary file behind; the first write into that
 * folder by a later process removes the ones whose process is gone, so they do not pile up.
 */
public final class AtomicFiles {

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.(\\d+)-[0-9a-f]{32}\\.tmp");
    private static final long SELF = ProcessHandle.current().pid();

    /** Folders already cleaned by this process: a memo, so a folder is listed once, not per file. */
    private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();

    private AtomicFiles() {}

    public static void write(Path target, Writer writer) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            removeAbandoned(dir);
            // Not Files.createTempFile: its files are private (0600); this one gets the umask's mode.
            temp = dir.resolve(temporaryName(absolute.getFileName().toString()));
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW))) {
                writer.write(out);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new DanetException(target + ": cannot write: " + IoProblems.reason(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the temporary name is hidden, never read, and removed by a later run
                }
            }
        }
    }

    /** The hidden name a file is written under before it is renamed into place. */
    static String temporaryName(String fileName) {
        return "." + fileName + "." + SELF + "-" + UUID.randomUUID().toString().replace("-", "") + ".tmp";
    }

    /**
     * Removes the temporary files in the folder whose writing process no longer runs (once per
     * folder and process). Another live process's temporary files are left alone.
     */
    static void removeAbandoned(Path dir) {
        if (!CLEANED.add(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path file : files) {
                Matcher m = TEMPORARY.matcher(file.getFileName().toString());
                if (m.matches() && isGone(m.group(1))) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: leftovers cost disk space, not correctness
        }
    }

    private static boolean isGone(String pid) {
        long id;
        try {
            id = Long.parseLong(pid);
        } catch (NumberFormatException e) {
            return false;
        }
        return id != SELF && ProcessHandle.of(id).map(p -> !p.isAlive()).orElse(true);
    }
}
