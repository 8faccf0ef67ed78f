package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.danet.io.Npy;
import dev.danet.io.TensorData;
import dev.danet.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `danet forward`: the interop entry point, and its answers to bad input. */
class ForwardCommandTest {

    private static final Path FIXTURE = Fixtures.model("danet_r50_w4");

    @TempDir
    Path dir;

    /** Exit code and what went to stderr. */
    record Result(int code, String err) {}

    static Result run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private Result forward(Path weights, Path input, Path output, String... extra) {
        String[] base = {"forward", "--weights", weights.toString(), "--multi-grid",
            "--input", input.toString(), "--output", output.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return run(args);
    }

    @Test
    void forwardWritesTheMainLogitsOfAReferenceCheckpoint() {
        Path out = dir.resolve("y.npy");
        Result r = forward(FIXTURE.resolve("model.pth"), FIXTURE.resolve("input.npy"), out, "--precision", "float64");
        assertEquals(0, r.code(), r.err());
        TensorData y = Npy.read(out);
        assertEquals("float32", y.dtype());
        try (NDManager m = NDManager.newBaseManager()) {
            double error = Fixtures.relativeL2(
                    m.create(y.toFloats(), new ai.djl.ndarray.types.Shape(y.shape())), FIXTURE.resolve("out_0.npy"));
            assertTrue(error < 1e-6, "float64 model, float32 file: relative L2 " + error);
        }
    }

    @Test
    void foldedBatchNormsStillMatchPyTorchsOutput() {
        Path out = dir.resolve("y.npy");
        Result r = run("--fold-batch-norm", "forward", "--weights", FIXTURE.resolve("model.pth").toString(),
                "--multi-grid", "--input", FIXTURE.resolve("input.npy").toString(), "--output", out.toString(),
                "--precision", "float64");
        assertEquals(0, r.code(), r.err());
        TensorData y = Npy.read(out);
        try (NDManager m = NDManager.newBaseManager()) {
            double error = Fixtures.relativeL2(
                    m.create(y.toFloats(), new ai.djl.ndarray.types.Shape(y.shape())), FIXTURE.resolve("out_0.npy"));
            assertTrue(error < 1e-6, "float64 model with folded batch norms: relative L2 " + error);
        }
    }

    @Test
    void garbageWeightsGiveOneLineNamingTheFile() throws IOException {
        Path weights = dir.resolve("weights.pth");
        Files.writeString(weights, "this is not a checkpoint\n");
        Path out = dir.resolve("y.npy");
        Result r = forward(weights, FIXTURE.resolve("input.npy"), out);
        assertEquals(2, r.code());
        assertOneErrorLine(r, weights.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void truncatedCheckpointIsAClearError() throws IOException {
        byte[] full = Files.readAllBytes(FIXTURE.resolve("model.pth"));
        Path weights = dir.resolve("cut.pth");
        Files.write(weights, java.util.Arrays.copyOf(full, full.length / 2));
        Result r = forward(weights, FIXTURE.resolve("input.npy"), dir.resolve("y.npy"));
        assertEquals(2, r.code());
        assertOneErrorLine(r, weights.toString());
    }

    @Test
    void wrongClassCountIsAClearError() {
        Result r = forward(FIXTURE.resolve("model.pth"), FIXTURE.resolve("input.npy"), dir.resolve("y.npy"),
                "--classes", "19");
        assertEquals(2, r.code());
        assertOneErrorLine(r, "classes 5");
    }

    @Test
    void inputOfTheWrongShapeIsAClearError() {
        Path input = dir.resolve("x.npy");
        Npy.writeFloat32(input, new float[4 * 10 * 10], new long[] {1, 4, 10, 10});
        Result r = forward(FIXTURE.resolve("model.pth"), input, dir.resolve("y.npy"));
        assertEquals(2, r.code());
        assertOneErrorLine(r, "(N, 3, H, W)");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"(1, 3, -8, 8)", "(4611686018427387904, 3, 8, 8)"})
    void inputWithANegativeOrOverflowingShapeIsAClearError(String shape) throws IOException {
        Path input = Files.write(dir.resolve("x.npy"), dev.danet.testing.ArrayFiles.npyFloats(shape));
        Result r = forward(FIXTURE.resolve("model.pth"), input, dir.resolve("y.npy"));
        assertEquals(2, r.code(), r.err());
        assertOneErrorLine(r, input.toString());
    }

    @Test
    void missingInputIsAClearError() {
        Path input = dir.resolve("absent.npy");
        Result r = forward(FIXTURE.resolve("model.pth"), input, dir.resolve("y.npy"));
        assertEquals(2, r.code());
        assertOneErrorLine(r, input + ": no such file");
    }

    @Test
    void convertedCheckpointGivesTheSameOutputWithoutFlags() {
        Path converted = dir.resolve("m.danet");
        Result c = run("convert", "--weights", FIXTURE.resolve("model.pth").toString(), "--multi-grid",
                "--out", converted.toString());
        assertEquals(0, c.code(), c.err());
        Path out = dir.resolve("y.npy");
        Result r = run("forward", "--weights", converted.toString(), "--precision", "float64",
                "--input", FIXTURE.resolve("input.npy").toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        try (NDManager m = NDManager.newBaseManager()) {
            TensorData y = Npy.read(out);
            double error = Fixtures.relativeL2(
                    m.create(y.toFloats(), new ai.djl.ndarray.types.Shape(y.shape())), FIXTURE.resolve("out_0.npy"));
            assertTrue(error < 1e-6, "relative L2 " + error);
        }
    }

    private static void assertOneErrorLine(Result r, String mustContain) {
        String err = r.err().strip();
        String[] lines = err.split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("error: ") && last.contains(mustContain), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
    }
}
