package dev.danet.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.DanetException;
import dev.danet.io.ModelCheckpoint;
import dev.danet.io.ModelLoader;
import dev.danet.io.torch.PthReader;
import dev.danet.io.TensorData;
import dev.danet.io.torch.PthReader;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.testing.FileServer;
import dev.danet.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Getting an entry end to end against a loopback server, with a small reference DANet
 * checkpoint (ResNet-50 at width 4, multi-grid, 5 classes) standing in for a published one.
 */
class WeightsInstallerTest {

    static final Path FIXTURE = Fixtures.model("danet_r50_w4").resolve("model.pth");
    private static final String PATH = "/files/tiny-danet-abc.pth";

    @TempDir
    Path dir;

    private FileServer server;
    private byte[] content;
    private String sha;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        content = Files.readAllBytes(FIXTURE);
        sha = Sha256.of(FIXTURE);
        server = new FileServer().serve(PATH, content);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The fixture as a catalogue entry: multi-grid, which the loader cannot see in the weights. */
    static CatalogueEntry entry(String hash, int classes) {
        return new CatalogueEntry("tiny-danet", CatalogueEntry.Layout.REFERENCE_DANET, "danet", "resnet50", "test",
                classes, new CatalogueEntry.Miou(50.0, null),
                new PublishedRecipe(PublishedRecipe.Mode.WHOLE, 512, null, null, null, true),
                URI.create("https://example.org" + PATH), "tiny-danet-abc.pth", hash, "test", null, false,
                new CatalogueEntry.LoadSettings(8, true), "test", null);
    }

    private WeightsInstaller installer() {
        return new WeightsInstaller(new ResumableDownload(), new PrintStream(log, true));
    }

    @Test
    void aDownloadIsVerifiedConvertedAndLoadsWithTheCataloguesSettings() {
        WeightsInstaller.Installed result = installer().install(entry(sha.substring(0, 8), 5), dir, server.uri(PATH),
                DownloadProgress.NONE);
        assertTrue(result.downloaded() && result.converted());
        assertEquals(dir.resolve("tiny-danet.danet"), result.checkpoint());
        assertEquals(sha, result.sha256());
        assertFalse(Files.exists(dir.resolve("tiny-danet-abc.pth.part")), "the part was renamed into place");
        try (Network network = ModelLoader.load(result.checkpoint(), ModelLoader.Options.defaults(),
                new PrintStream(log))) {
            ModelConfig config = network.config();
            assertTrue(config.multiGrid(), "multi-grid came from the catalogue entry");
            assertEquals(5, config.classes());
        }
        // the converted weights are the published ones
        Map<String, TensorData> published = PthReader.readStateDict(FIXTURE);
        Map<String, TensorData> converted = ModelCheckpoint.readWeights(result.checkpoint());
        String key = "head.sa.query_conv.weight";
        assertArrayEquals(published.get(key).toFloats(), converted.get(key).toFloats(), 0f);
        assertEquals(sha, ModelCheckpoint.readHeader(result.checkpoint()).metadata().path("sha256").asText());
    }

    @Test
    void workAlreadyDoneIsNotDoneAgain() throws IOException {
        CatalogueEntry entry = entry(sha, 5);
        Files.copy(FIXTURE, dir.resolve(entry.fileName()));
        WeightsInstaller.Installed first = installer().install(entry, dir, server.uri(PATH), DownloadProgress.NONE);
        assertFalse(first.downloaded(), "a verified file on disk is used as it is");
        assertTrue(first.converted());
        long written = Files.getLastModifiedTime(first.checkpoint()).toMillis();
        WeightsInstaller.Installed second = installer().install(entry, dir, server.uri(PATH), DownloadProgress.NONE);
        assertFalse(second.downloaded() || second.converted(), "an existing checkpoint is kept");
        assertEquals(written, Files.getLastModifiedTime(first.checkpoint()).toMillis());
        assertTrue(server.requests().isEmpty(), "nothing was fetched");
    }

    @Test
    void aCorruptFileOnDiskIsFetchedAgain() throws IOException {
        CatalogueEntry entry = entry(sha, 5);
        Files.write(dir.resolve(entry.fileName()), new byte[] {1, 2, 3});
        WeightsInstaller.Installed result = installer().install(entry, dir, server.uri(PATH), DownloadProgress.NONE);
        assertTrue(result.downloaded());
        assertArrayEquals(content, Files.readAllBytes(dir.resolve(entry.fileName())));
    }

    @Test
    void aWrongHashIsRefusedAndLeavesNothingBehind() throws IOException {
        CatalogueEntry entry = entry("0123abcd", 5);
        DanetException e = assertThrows(DanetException.class,
                () -> installer().install(entry, dir, server.uri(PATH), DownloadProgress.NONE));
        assertTrue(e.getMessage().contains("SHA-256 " + sha + " does not match the published 0123abcd"),
                e.getMessage());
        assertEquals(0, countFiles(), "no download, no part, no checkpoint");
    }

    @Test
    void aFileThatIsNotWhatTheCatalogueSaysIsNotConverted() throws IOException {
        CatalogueEntry entry = entry(sha, 19);
        DanetException e = assertThrows(DanetException.class,
                () -> installer().install(entry, dir, server.uri(PATH), DownloadProgress.NONE));
        assertTrue(e.getMessage().contains("predicts 5 classes, but tiny-danet has 19"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("tiny-danet.danet")));
    }

    @Test
    void aHandFetchedFileIsCheckedThenConvertedInPlace() throws IOException {
        WeightsInstaller.Installed result = installer().installFrom(entry(sha.substring(0, 8), 5), FIXTURE, dir);
        assertTrue(ModelCheckpoint.isCheckpoint(result.checkpoint()));
        assertEquals(FIXTURE, result.source());
        assertTrue(server.requests().isEmpty());

        Path damaged = dir.resolve("damaged.pth");
        Files.write(damaged, java.util.Arrays.copyOf(content, content.length - 1));
        Path other = dir.resolve("other");
        DanetException e = assertThrows(DanetException.class,
                () -> installer().installFrom(entry(sha.substring(0, 8), 5), damaged, other));
        assertTrue(e.getMessage().startsWith(damaged + ": SHA-256 "), e.getMessage());
        assertFalse(Files.exists(other), "nothing written for a file that fails its hash");
        assertTrue(Files.exists(damaged), "the user's own file is left alone");
    }

    private long countFiles() throws IOException {
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }
}
