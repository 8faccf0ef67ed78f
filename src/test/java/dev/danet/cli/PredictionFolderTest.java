package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of per-image outputs appears only when whole. */
class PredictionFolderTest {

    @TempDir
    Path dir;

    @Test
    void filesGoToAPartialFolderThatReplacesTheOldOneOnlyWhenFinished() throws Exception {
        Path target = dir.resolve("predictions");
        Files.createDirectories(target);
        Files.writeString(target.resolve("old.png"), "old");
        Path stale = dir.resolve("predictions.partial");
        Files.createDirectories(stale.resolve("sub"));
        Files.writeString(stale.resolve("sub/cut.png"), "from a killed run");

        PredictionFolder folder = PredictionFolder.start(target);
        assertFalse(Files.exists(stale), "a killed run's folder is removed");
        Files.createDirectories(folder.file("x.png").getParent());
        Files.writeString(folder.file("x.png"), "new");
        assertTrue(Files.exists(target.resolve("old.png")), "the old folder stands while the run goes on");
        assertFalse(Files.exists(target.resolve("x.png")));

        folder.finish();
        assertEquals("new", Files.readString(target.resolve("x.png")));
        assertFalse(Files.exists(target.resolve("old.png")), "replaced, not merged");
        assertFalse(Files.exists(stale));
    }
}
