package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.testing.TinyDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `danet train` end to end on a tiny dataset, and its answers to bad input. */
class TrainCommandTest {

    @TempDir
    Path dir;

    private ForwardCommandTest.Result train(Path data, String layout, String crop, Path out, String... extra) {
        String[] base = {"train", "--model", "fcn", "--backbone", "resnet18", "--width", "4", "--data", data.toString(),
            "--dataset", layout, "--crop", crop, "--batch", "2", "--iterations", "2", "--out", out.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return ForwardCommandTest.run(args);
    }

    @Test
    void trainsAndResumesFromTheCommandLine() {
        Path data = TinyDatasets.folder(dir.resolve("data"), 4, 2, 32);
        Path out = dir.resolve("run");
        ForwardCommandTest.Result r = train(data, "folder", "32", out);
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("model.danet")));
        assertTrue(Files.exists(out.resolve("training-diagnostics.png")), "diagnostics are on by default");
        assertTrue(dev.danet.io.ModelCheckpoint.readHeader(out.resolve("model.danet")).metadata().path("train_config")
                .path("headInit").asText().equals("pytorch-default"), "the reference's head initialisation by default");
        ForwardCommandTest.Result again = train(data, "folder", "32", out);
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds a training run"), again.err());
    }

    @Test
    void headChannelsWidenTheHeadAndAreSavedWithTheModel() {
        Path data = TinyDatasets.folder(dir.resolve("data"), 4, 2, 32);
        Path out = dir.resolve("wide");
        ForwardCommandTest.Result r = train(data, "folder", "32", out, "--head-channels", "16");
        assertEquals(0, r.code(), r.err());
        assertEquals(16, dev.danet.io.ModelCheckpoint.readHeader(out.resolve("model.danet")).config().headChannels());
        ForwardCommandTest.Result bad = train(data, "folder", "32", dir.resolve("bad"), "--head-channels", "0");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("head channels must be positive") && bad.err().strip().lines().count() == 1,
                bad.err());
    }

    @Test
    void aBadValidationImageIsSkippedWithSkipBadAndCostsNoTrainingWithout() throws Exception {
        Path data = TinyDatasets.folder(dir.resolve("data"), 4, 2, 32);
        Path badImage = data.resolve("images").resolve("val").resolve("i0.png");
        Files.write(badImage, java.util.Arrays.copyOf(Files.readAllBytes(badImage), 40)); // truncated PNG

        Path strict = dir.resolve("strict");
        ForwardCommandTest.Result failed = train(data, "folder", "32", strict);
        assertEquals(2, failed.code(), failed.err());
        assertTrue(failed.err().contains("i0.png"), "names the file: " + failed.err());
        assertTrue(Files.exists(strict.resolve("last.danet")), "the last checkpoint is saved before the final validation");
        ForwardCommandTest.Result stillBad = train(data, "folder", "32", strict, "--resume");
        assertEquals(2, stillBad.code(), "without --skip-bad the bad image still stops it: " + stillBad.err());
        ForwardCommandTest.Result resumed = train(data, "folder", "32", strict, "--resume", "--skip-bad");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(Files.exists(strict.resolve("model.danet")), "resumed at the end, it only validates and saves");

        Path lenient = dir.resolve("lenient");
        ForwardCommandTest.Result skipped = train(data, "folder", "32", lenient, "--skip-bad");
        assertEquals(0, skipped.code(), skipped.err());
        assertTrue(Files.exists(lenient.resolve("model.danet")));
        assertTrue(skipped.err().contains("skipped 1 bad sample(s)"), skipped.err());
        assertTrue(Files.readString(lenient.resolve("train-log.jsonl")).contains("\"type\":\"validation\",\"iteration\":2"),
                "validated on the good image");
    }

    @Test
    void aRecipeGivesWhatTheFlagsDoNotAndTheReferenceTheRest() throws Exception {
        Path data = TinyDatasets.folder(dir.resolve("data"), 4, 2, 32);
        Path recipe = dir.resolve("tiny.json");
        Files.writeString(recipe, "{\"model\": {\"head\": \"fcn\", \"backbone\": \"resnet18\", \"width\": 4},"
                + " \"cropHeight\": 32, \"cropWidth\": 32, \"batchSize\": 2, \"iterations\": 3, \"baseLr\": 0.02,"
                + " \"maxGradNorm\": 5}");
        Path out = dir.resolve("run");
        ForwardCommandTest.Result r = ForwardCommandTest.run("train", "--recipe", recipe.toString(), "--iterations", "2",
                "--aux", "--data", data.toString(), "--dataset", "folder", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode config = dev.danet.io.ModelCheckpoint.readHeader(out.resolve("model.danet"))
                .metadata().path("train_config");
        assertEquals(2, config.path("iterations").asInt(), "the flag over the recipe");
        assertTrue(config.path("model").path("aux").asBoolean(), "an architecture flag over the recipe's model");
        assertEquals("fcn", config.path("model").path("head").asText());
        assertEquals(4, config.path("model").path("width").asInt());
        assertEquals(0.02, config.path("baseLr").asDouble(), "the recipe's");
        assertEquals(5.0, config.path("maxGradNorm").asDouble());
        assertEquals(0.9, config.path("momentum").asDouble(), "the reference's");
        assertEquals(32, config.path("baseSize").asInt(), "the crop's short side");
        assertError(ForwardCommandTest.run("train", "--recipe", "nonesuch", "--out", out.toString()), "no recipe nonesuch");
    }

    @Test
    void unknownLayoutMissingFolderAndOversizedCropAreOneLineErrorsThatLeaveNoFiles() {
        Path data = TinyDatasets.folder(dir.resolve("data"), 2, 1, 32);
        Path out = dir.resolve("run");
        assertError(train(data, "kitti", "32", out), "unknown dataset layout 'kitti'");
        assertError(train(dir.resolve("absent"), "folder", "32", out), "no such dataset folder");
        assertError(train(data, "folder", "512", out, "--base-size", "32"), "crop 512x512 is larger than every training image");
        assertError(train(data, "folder", "3x4y", out), "--crop must look like");
        assertError(train(data, "folder", "32", out, "--head-init", "xavier"), "use pytorch-default or kaiming-fan-out");
        assertError(train(data, "folder", "32", out, "--diagnostics-every", "-1"), "diagnostics interval");
        assertFalse(Files.exists(out), "nothing written for a run that never started");
    }

    private static void assertError(ForwardCommandTest.Result r, String text) {
        assertEquals(2, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertTrue(lines[lines.length - 1].startsWith("error: ") && lines[lines.length - 1].contains(text), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
