package dev.danet.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files committed by rename; a killed attempt's temporary file is removed once the job is done. */
class OutputFolderTest {

    @TempDir
    Path dir;

    @Test
    void aCommittedFileReplacesTheOldAndAKilledAttemptsTemporaryIsRemovedAfterwards() throws Exception {
        OutputFolder folder = new OutputFolder(dir.toString(), new HadoopSettings(new HashMap<>()));
        folder.write("sub/a_label.png", new byte[] {1, 2}, 0);
        folder.write("sub/a_label.png", new byte[] {3}, 1);
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(dir.resolve("sub/a_label.png")));
        Path killed = dir.resolve("sub/.b_label.png.7.tmp"); // an attempt that died mid-write
        Files.write(killed, new byte[] {9});
        assertEquals(1, folder.removeTemporaries());
        assertFalse(Files.exists(killed));
        assertTrue(Files.exists(dir.resolve("sub/a_label.png")), "committed files stay");
    }
}
