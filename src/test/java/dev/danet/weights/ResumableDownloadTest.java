package dev.danet.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.DanetException;
import dev.danet.testing.FileServer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resumable download against a loopback server: whole, cut and resumed, write failures, HTTP errors. */
class ResumableDownloadTest {

    private static final byte[] CONTENT = randomBytes(300_000);

    @TempDir
    Path dir;

    private FileServer server;
    private Path part;
    private URI url;

    @BeforeEach
    void start() throws IOException {
        server = new FileServer().serve("/models/m.pth", CONTENT);
        part = dir.resolve("m.pth.part");
        url = server.uri("/models/m.pth");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aWholeDownloadWritesEveryByteAndReportsProgress() throws IOException {
        long[] seen = {-1, -1, 0};
        new ResumableDownload().fetch(url, part, new DownloadProgress() {
            @Override
            public void started(long have, long total) {
                seen[0] = have;
                seen[1] = total;
            }

            @Override
            public void advanced(long bytes) {
                seen[2] = bytes;
            }
        });
        assertArrayEquals(CONTENT, Files.readAllBytes(part));
        assertArrayEquals(new long[] {0, CONTENT.length, CONTENT.length}, seen);
        assertNull(server.requests().get(0).range(), "a fresh download asks for the whole file");
    }

    @Test
    void aCutConnectionKeepsThePartAndTheNextTryResumesWithARangeRequest() throws IOException {
        server.cutNextAfter(CONTENT.length / 2);
        DanetException cut = assertThrows(DanetException.class,
                () -> new ResumableDownload().fetch(url, part, DownloadProgress.NONE));
        assertTrue(cut.getMessage().contains("connection cut") && cut.getMessage().contains(part.toString()),
                cut.getMessage());
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < CONTENT.length, "kept " + kept);
        assertArrayEquals(Arrays.copyOf(CONTENT, (int) kept), Files.readAllBytes(part), "what was kept is correct");

        new ResumableDownload().fetch(url, part, DownloadProgress.NONE);
        List<FileServer.Request> requests = server.requests();
        assertEquals(2, requests.size());
        assertEquals("bytes=" + kept + "-", requests.get(1).range(), "the second request resumes");
        assertArrayEquals(CONTENT, Files.readAllBytes(part));
    }

    @Test
    void aServerWithoutRangesMakesTheDownloadStartOver() throws IOException {
        Files.write(part, Arrays.copyOf(CONTENT, 1000));
        server.ignoreRange(true);
        new ResumableDownload().fetch(url, part, DownloadProgress.NONE);
        assertEquals("bytes=1000-", server.requests().get(0).range());
        assertArrayEquals(CONTENT, Files.readAllBytes(part), "the 200 answer replaced the part, not appended to it");
    }

    @Test
    void aPartThatIsAlreadyWholeNeedsNoBytes() throws IOException {
        Files.write(part, CONTENT);
        new ResumableDownload().fetch(url, part, DownloadProgress.NONE);
        assertArrayEquals(CONTENT, Files.readAllBytes(part));
        assertEquals(1, server.requests().size(), "one range request, answered 416 with the full size");
    }

    @Test
    void aFailedWriteLikeAFullDiskDeletesThePart() {
        ResumableDownload download = new ResumableDownload(java.net.http.HttpClient.newHttpClient(),
                (p, append) -> new FullDisk(ResumableDownload.FILES.open(p, append), 100_000));
        DanetException e = assertThrows(DanetException.class, () -> download.fetch(url, part, DownloadProgress.NONE));
        assertTrue(e.getMessage().startsWith(part + ": cannot write (No space left on device)"), e.getMessage());
        assertTrue(e.getMessage().contains("deleted"), e.getMessage());
        assertFalse(Files.exists(part), "no partial file is left behind");
    }

    @Test
    void anHttpErrorNamesTheUrlAndTheStatusAndWritesNothing() {
        URI missing = server.uri("/models/nothing-here.pth");
        DanetException e = assertThrows(DanetException.class,
                () -> new ResumableDownload().fetch(missing, part, DownloadProgress.NONE));
        assertTrue(e.getMessage().startsWith(missing + ": HTTP 404"), e.getMessage());
        assertFalse(Files.exists(part));
    }

    @Test
    void anUnreachableServerIsOneClearError() {
        server.close();
        DanetException e = assertThrows(DanetException.class,
                () -> new ResumableDownload().fetch(url, part, DownloadProgress.NONE));
        assertTrue(e.getMessage().startsWith(url + ": cannot connect"), e.getMessage());
        assertFalse(Files.exists(part));
    }

    /** Accepts this many bytes, then fails as a full disk does. */
    private static final class FullDisk extends FilterOutputStream {
        private long room;

        FullDisk(OutputStream out, long room) {
            super(out);
            this.room = room;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > room) {
                throw new IOException("No space left on device");
            }
            room -= len;
            out.write(b, off, len);
        }
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(7).nextBytes(bytes);
        return bytes;
    }
}
