package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.io.ModelLoader;
import dev.danet.nn.Network;
import dev.danet.testing.FileServer;
import dev.danet.testing.Fixtures;
import dev.danet.weights.CatalogueEntry;
import dev.danet.weights.Sha256;
import dev.danet.weights.WeightsCatalogue;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `danet weights list / get` offline: a loopback server stands in for the publishers (through
 * --mirror), a small reference DANet checkpoint for a published file (through the hidden
 * --catalogue), so nothing here reaches the internet.
 */
class WeightsCommandTest {

    private static final Path FIXTURE = Fixtures.model("danet_r50_w4").resolve("model.pth");
    private static final String PATH = "/files/tiny-danet-0000.pth";

    @TempDir
    Path dir;

    private FileServer server;
    private byte[] content;
    private String sha;
    private Path out;

    @BeforeEach
    void start() throws IOException {
        content = Files.readAllBytes(FIXTURE);
        sha = Sha256.of(FIXTURE);
        server = new FileServer().serve(PATH, content);
        out = dir.resolve("weights");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A catalogue with the fixture as its one entry, published at an address no test reaches. */
    private Path catalogue(String hash) throws IOException {
        Path file = dir.resolve("catalogue-" + hash + ".json");
        Files.writeString(file, """
                {"format": "danet-weights-catalogue", "version": 1, "entries": [
                  {"name": "tiny-danet", "layout": "reference-danet", "model": "danet", "backbone": "resnet50",
                   "dataset": "test", "classes": 5, "miou": {"singleScale": 50.0, "multiScaleFlip": null},
                   "recipe": {"mode": "whole", "longSide": 512, "alignCorners": true},
                   "url": "https://publisher.invalid%s", "fileName": "tiny-danet-0000.pth", "sha256": "%s",
                   "hashSource": "test", "manualDownload": false, "load": {"outputStride": 8, "multiGrid": true},
                   "source": "test"}]}""".formatted(PATH, hash));
        return file;
    }

    private CliRunner.Result get(String hash, String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("weights", "get", "tiny-danet",
                "--catalogue", catalogue(hash).toString(), "--mirror", server.base().toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void listShowsEveryModelAndItsJsonHasEveryField() throws IOException {
        CliRunner.Result table = CliRunner.run("weights", "list");
        assertEquals(0, table.code(), table.err());
        for (CatalogueEntry e : WeightsCatalogue.builtIn().entries()) {
            assertTrue(table.out().contains(e.name()), e.name());
        }
        assertTrue(table.out().contains("80.47 / 82.02  slide 769/513, fit 2049x1025, align_corners"), table.out());

        CliRunner.Result json = CliRunner.run("weights", "list", "--json");
        JsonNode entries = new ObjectMapper().readTree(json.out());
        assertEquals(35, entries.size());
        JsonNode reference = entries.get(0);
        assertEquals("reference-danet", reference.path("layout").asText());
        assertEquals("slide", reference.path("recipe").path("mode").asText());
        assertTrue(reference.path("sha256").isNull());

        CliRunner.Result help = CliRunner.run("weights", "get", "--help");
        assertTrue(help.out().contains("Example: ./danet weights get") && help.out().contains("--mirror"), help.out());
    }

    @Test
    void getDownloadsVerifiesAndConvertsIntoACheckpointThatLoads() throws IOException {
        CliRunner.Result r = get(sha.substring(0, 8));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("matches the published " + sha.substring(0, 8)), r.out());
        assertEquals(server.uri(PATH).getPath(), server.requests().get(0).path(), "fetched through the mirror");
        Path checkpoint = out.resolve("tiny-danet.danet");
        try (Network network = ModelLoader.load(checkpoint, ModelLoader.Options.defaults(),
                new PrintStream(OutputStream.nullOutputStream()))) {
            assertTrue(network.config().multiGrid());
            assertEquals(5, network.config().classes());
        }
        assertArrayEquals(content, Files.readAllBytes(out.resolve("tiny-danet-0000.pth")));
    }

    @Test
    void anMmsegCheckpointConvertsWithTheCataloguesRecipeAndTheMetasClasses() throws IOException {
        Path mmseg = Fixtures.ROOT.resolve("layouts/mmseg_danet_r50/model.pth");
        String mmsegSha = Sha256.of(mmseg);
        server.serve("/files/tiny-mmseg-" + mmsegSha.substring(0, 8) + ".pth", Files.readAllBytes(mmseg));
        Path file = dir.resolve("catalogue-mmseg.json");
        Files.writeString(file, """
                {"format": "danet-weights-catalogue", "version": 1, "entries": [
                  {"name": "tiny-mmseg", "layout": "mmseg", "model": "danet", "backbone": "resnet50",
                   "dataset": "cityscapes", "classes": 5, "miou": {"singleScale": 50.0, "multiScaleFlip": null},
                   "recipe": {"mode": "slide", "longSide": 2049, "shortSide": 1025, "crop": 769, "stride": 513,
                              "alignCorners": true},
                   "url": "https://publisher.invalid/files/tiny-mmseg-%s.pth", "fileName": "tiny-mmseg-%s.pth",
                   "sha256": "%s", "hashSource": "test", "manualDownload": false,
                   "load": {"outputStride": 8, "multiGrid": false}, "source": "test"}]}"""
                .formatted(mmsegSha.substring(0, 8), mmsegSha.substring(0, 8), mmsegSha.substring(0, 8)));
        CliRunner.Result r = CliRunner.run("weights", "get", "tiny-mmseg", "--catalogue", file.toString(),
                "--mirror", server.base().toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        try (ModelLoader.Loaded loaded = ModelLoader.open(out.resolve("tiny-mmseg.danet"),
                ModelLoader.Options.defaults(), new PrintStream(OutputStream.nullOutputStream()))) {
            assertEquals(dev.danet.nn.Stem.DEEP_V1C, loaded.network().config().stem());
            assertTrue(loaded.network().config().alignCorners(), "the catalogue's align_corners");
            assertEquals(List.of("road", "building", "sky", "person", "car"), loaded.card().classNames());
            assertEquals(dev.danet.io.TestRecipe.slide(769, 513).withResize(2049, 1025), loaded.card().testRecipe());
            assertTrue(loaded.card().source().startsWith("tiny-mmseg"), loaded.card().source());
        }
        CliRunner.Result info = CliRunner.run("info", "--weights", out.resolve("tiny-mmseg.danet").toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("sliding windows 769 stride 513, resized to fit 2049 x 1025"), info.out());
        assertTrue(info.out().contains("road, building, sky, person, car"), info.out());
    }

    @Test
    void aCutConnectionIsOneLineAndTheNextGetResumesWithARangeRequest() throws IOException {
        server.cutNextAfter(content.length / 2);
        CliRunner.Result first = get(sha);
        first.assertOneErrorLine("connection cut after");
        Path part = out.resolve("tiny-danet-0000.pth.part");
        assertTrue(first.err().contains(part + " and the next try resumes"), first.err());
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < content.length, "kept " + kept);

        CliRunner.Result second = get(sha);
        assertEquals(0, second.code(), second.err());
        assertEquals(2, server.requests().size());
        assertEquals("bytes=" + kept + "-", server.requests().get(1).range());
        assertArrayEquals(content, Files.readAllBytes(out.resolve("tiny-danet-0000.pth")));
        assertFalse(Files.exists(part));
        assertTrue(Files.exists(out.resolve("tiny-danet.danet")));
    }

    @Test
    void aWrongHashIsOneLineAndLeavesNoFileBehind() throws IOException {
        CliRunner.Result r = get("0123abcd");
        r.assertOneErrorLine("does not match the published 0123abcd");
        assertTrue(r.err().contains(server.uri(PATH).toString()), "names the URL: " + r.err());
        assertEquals(List.of(), listing(out));
    }

    @Test
    void anUnknownNameIsOneLineThatSuggestsCloseNames() {
        CliRunner.Result r = CliRunner.run("weights", "get", "mmseg-danet-r50-ade20k-512x512-80k");
        r.assertOneErrorLine("unknown weights 'mmseg-danet-r50-ade20k-512x512-80k'; did you mean "
                + "mmseg-danet-r50-d8-ade20k-512x512-80k");
    }

    @Test
    void anHttpErrorIsOneLineNamingTheUrlAndLeavesNoFileBehind() {
        String name = "mmseg-danet-r50-d8-cityscapes-512x1024-40k";
        CliRunner.Result r = CliRunner.run("weights", "get", name, "--mirror", server.base() + "/cache",
                "--out", out.toString());
        String url = server.base() + "/cache" + WeightsCatalogue.builtIn().require(name).url().getPath();
        r.assertOneErrorLine(url + ": HTTP 404");
        assertEquals(List.of(), listing(out));
    }

    @Test
    void fromConvertsAGoodFileAndRefusesADamagedOne() throws IOException {
        Path damaged = dir.resolve("damaged.pth");
        Files.write(damaged, Arrays.copyOf(content, content.length - 10));
        CliRunner.Result bad = get(sha, "--from", damaged.toString());
        bad.assertOneErrorLine(damaged + ": SHA-256 ");
        assertEquals(List.of(), listing(out));

        CliRunner.Result good = get(sha, "--from", FIXTURE.toString());
        assertEquals(0, good.code(), good.err());
        assertTrue(Files.exists(out.resolve("tiny-danet.danet")));
        assertTrue(server.requests().isEmpty(), "--from downloads nothing");
    }

    @Test
    void aFileThatNeedsABrowserAsksForFrom() {
        CliRunner.Result r = CliRunner.run("weights", "get", "reference-danet-r101-cityscapes", "--out", out.toString());
        r.assertOneErrorLine("needs a browser");
        assertTrue(r.err().contains("--from DANet101.pth.tar"), r.err());
    }

    @Test
    void theWeightsDocListsEveryModelWithItsGetCommand() throws IOException {
        String doc = Files.readString(Path.of("docs/weights.md"));
        for (CatalogueEntry e : WeightsCatalogue.builtIn().entries()) {
            assertTrue(doc.contains("./danet weights get " + e.name()), e.name());
        }
    }

    private static List<Path> listing(Path folder) {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
