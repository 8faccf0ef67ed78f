package dev.danet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes: whole files or none, leftovers of killed writers removed, failures with their reason. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void aKilledWritersTemporaryFileIsRemovedByTheNextWriteIntoItsFolderAndALiveOnesIsKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path abandoned = dir.resolve(".model.danet." + gone.pid() + "-0123456789abcdef0123456789abcdef.tmp");
        Path live = dir.resolve(".model.danet." + ProcessHandle.current().parent().orElseThrow().pid()
                + "-0123456789abcdef0123456789abcdef.tmp");
        Path notOurs = dir.resolve(".notes.tmp");
        for (Path p : new Path[] {abandoned, live, notOurs}) {
            Files.writeString(p, "half");
        }
        AtomicFiles.write(dir.resolve("a.txt"), out -> out.write('x'));
        assertFalse(Files.exists(abandoned), "its process is gone");
        assertTrue(Files.exists(live), "its process may still be writing it");
        assertTrue(Files.exists(notOurs), "not a name this class makes");
        assertEquals("x", Files.readString(dir.resolve("a.txt")));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary file of its own left");
        }
    }

    @Test
    void aFailedWriteSaysWhyAndLeavesTheOldFile() throws Exception {
        Path file = dir.resolve("a.txt");
        Files.writeString(file, "old");
        DanetException e = assertThrows(DanetException.class, () -> AtomicFiles.write(file, out -> {
            out.write('n');
            throw new java.io.IOException("No space left on device");
        }));
        assertEquals(file + ": cannot write: No space left on device", e.getMessage());
        assertEquals("old", Files.readString(file));

        Path underAFile = file.resolve("b.txt");
        DanetException notAFolder = assertThrows(DanetException.class, () -> AtomicFiles.write(underAFile, out -> { }));
        assertTrue(notAFolder.getMessage().startsWith(underAFile + ": cannot write: " + file + ": "),
                "names the path that is in the way: " + notAFolder.getMessage());
    }
}
