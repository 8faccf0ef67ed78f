package dev.danet.io.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.DanetException;
import dev.danet.io.TensorData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads the checkpoints written by tools/make_pth_fixtures.py (PyTorch 1.13) and compares them
 * with expected.json, which the same script wrote from the tensors it saved.
 */
class PthReaderTest {

    private static JsonNode expected;

    @TempDir
    Path tmp;

    @BeforeAll
    static void readExpected() throws IOException {
        expected = new ObjectMapper().readTree(fixture("expected.json").toFile());
    }

    static Path fixture(String name) {
        try {
            return Path.of(PthReaderTest.class.getResource("/fixtures/pth/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + name
                    + "; run /usr/bin/python3 tools/make_pth_fixtures.py", e);
        }
    }

    private static List<String> expectedKeys() {
        List<String> keys = new ArrayList<>();
        expected.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    // ---- Reading: values, order, unwrapping ----------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"state_dict_zip.pth", "state_dict_legacy.pth", "wrapped_zip.pth",
        "wrapped_legacy.pth"})
    void everyTensorHasTheExpectedDtypeShapeAndExactValues(String name) {
        Map<String, TensorData> state = PthReader.readStateDict(fixture(name));
        assertEquals(expectedKeys().size(), state.size(), name);
        for (String key : expectedKeys()) {
            JsonNode want = expected.get(key);
            TensorData got = state.get(key);
            String where = name + " " + key;
            assertEquals(want.get("dtype").asText(), got.dtype(), where);
            long[] shape = new long[want.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = want.get("shape").get(i).asLong();
            }
            assertEquals(Arrays.toString(shape), Arrays.toString(got.shape()), where);
            assertEquals(TensorData.numel(shape) * TensorData.elementSize(got.dtype()),
                    got.data().remaining(), where);
            assertValuesExactly(want.get("values"), got, where);
        }
    }

    private static void assertValuesExactly(JsonNode values, TensorData t, String where) {
        assertEquals(values.size(), t.numel(), where);
        if (!t.isFloatingPoint()) {
            long[] got = t.toLongs();
            for (int i = 0; i < got.length; i++) {
                assertEquals(values.get(i).asLong(), got[i], where + "[" + i + "]");
            }
            return;
        }
        ByteBuffer b = t.data();
        for (int i = 0; i < values.size(); i++) {
            double got = switch (t.dtype()) {
                case "float32" -> b.getFloat();
                case "float64" -> b.getDouble();
                case "float16" -> TensorData.halfToFloat(b.getShort());
                case "bfloat16" -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                default -> throw new AssertionError(t.dtype());
            };
            JsonNode v = values.get(i);
            double want = v.isTextual() ? switch (v.asText()) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.NaN;
            } : v.doubleValue();
            // Double.compare: NaN equals NaN, and -0.0 differs from 0.0.
            assertEquals(0, Double.compare(want, got), where + "[" + i + "]: " + want + " vs " + got);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"state_dict_zip.pth", "state_dict_legacy.pth", "wrapped_zip.pth",
        "wrapped_legacy.pth"})
    void keysComeBackInFileOrderAndTensorsAreNamedByKey(String name) {
        Map<String, TensorData> state = PthReader.readStateDict(fixture(name));
        assertEquals(expectedKeys(), new ArrayList<>(state.keySet()));
        state.forEach((key, t) -> assertEquals(key, t.name()));
    }

    @Test
    void zipAndLegacyFormatsGiveIdenticalBytes() {
        Map<String, TensorData> zip = PthReader.readStateDict(fixture("state_dict_zip.pth"));
        Map<String, TensorData> legacy = PthReader.readStateDict(fixture("state_dict_legacy.pth"));
        zip.forEach((key, t) -> assertEquals(t.data(), legacy.get(key).data(), key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped_zip.pth", "wrapped_legacy.pth"})
    void readObjectReturnsTheWholeWrappedCheckpointInFileOrder(String name) {
        Object root = PthReader.readObject(fixture(name));
        Map<?, ?> top = assertInstanceOf(LinkedHashMap.class, root);
        assertEquals(List.of("epoch", "state_dict", "best_pred", "optimizer", "pixAcc"),
                new ArrayList<>(top.keySet()));
        assertEquals(3, top.get("epoch"));
        assertEquals(0.5, top.get("best_pred"));
        assertEquals(0.75, top.get("pixAcc")); // a numpy.float64
        Map<?, ?> optimizer = assertInstanceOf(Map.class, top.get("optimizer"));
        List<?> groups = assertInstanceOf(List.class, optimizer.get("param_groups"));
        Map<?, ?> group = assertInstanceOf(Map.class, groups.get(0));
        assertEquals(List.of(0, 1, 2), group.get("params"));
        assertEquals(0.01, group.get("lr"));
        Map<?, ?> state = assertInstanceOf(LinkedHashMap.class, top.get("state_dict"));
        assertEquals(expectedKeys(), new ArrayList<>(state.keySet())); // no _metadata entry
        TensorData weight = assertInstanceOf(TensorData.class, state.get("0.weight"));
        assertEquals("state_dict/0.weight", weight.name());
    }

    @Test
    void wrappedCheckpointUnwrapsToTheSameStateDictAsThePlainOne() {
        Map<String, TensorData> plain = PthReader.readStateDict(fixture("state_dict_zip.pth"));
        Map<String, TensorData> wrapped = PthReader.readStateDict(fixture("wrapped_zip.pth"));
        assertEquals(new ArrayList<>(plain.keySet()), new ArrayList<>(wrapped.keySet()));
        plain.forEach((key, t) -> assertEquals(t.data(), wrapped.get(key).data(), key));
    }

    @Test
    void topLevelStateDictIsReturnedAsIs() {
        Object root = PthReader.readObject(fixture("state_dict_zip.pth"));
        Map<?, ?> top = assertInstanceOf(LinkedHashMap.class, root);
        assertEquals(expectedKeys(), new ArrayList<>(top.keySet()));
        TensorData t = assertInstanceOf(TensorData.class, top.get("1.num_batches_tracked"));
        assertEquals("int64", t.dtype());
        assertEquals(0, t.shape().length);
        assertEquals(7L, t.toLongs()[0]);
    }

    @Test
    void tensorsViewingOneStorageAreIndependentDenseCopies() {
        Map<String, TensorData> state = PthReader.readStateDict(fixture("state_dict_zip.pth"));
        TensorData a = state.get("shared.a"); // elements 2..5 of one storage
        TensorData b = state.get("shared.b"); // elements 5..9 of the same storage
        assertEquals(a.toFloats()[3], b.toFloats()[0]);
        a.data().putFloat(12, 42f);
        assertEquals(42f, a.toFloats()[3]);
        assertFalse(b.toFloats()[0] == 42f);
    }

    // ---- Strided copy ----------------------------------------------------------------------

    @Test
    void stridedCopyFollowsOffsetAndStridesIncludingZeroStride() {
        byte[] storage = new byte[10];
        for (int i = 0; i < storage.length; i++) {
            storage[i] = (byte) i;
        }
        StorageView view = new StorageView(new StorageRef("0", "uint8", 10), 0, 10);
        // A 2x3 window at offset 1 with row stride 4 and column stride 1: rows 1..3, 5..7.
        TensorRef window = new TensorRef(view, 1, new long[] {2, 3}, new long[] {4, 1});
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3, 5, 6, 7}),
                StridedCopy.copy(window, storage, true, "w"));
        // Transposed 3x2 view of elements 0..5.
        TensorRef transposed = new TensorRef(view, 0, new long[] {3, 2}, new long[] {1, 3});
        assertEquals(ByteBuffer.wrap(new byte[] {0, 3, 1, 4, 2, 5}),
                StridedCopy.copy(transposed, storage, true, "t"));
        // Element 9 broadcast to 2x2.
        TensorRef expanded = new TensorRef(view, 9, new long[] {2, 2}, new long[] {0, 0});
        assertEquals(ByteBuffer.wrap(new byte[] {9, 9, 9, 9}),
                StridedCopy.copy(expanded, storage, true, "e"));
    }

    @Test
    void tensorReachingPastItsStorageIsRejected() {
        StorageView view = new StorageView(new StorageRef("7", "float32", 4), 0, 4);
        TensorRef t = new TensorRef(view, 1, new long[] {2, 2}, new long[] {2, 1});
        PthFormatException e = assertThrows(PthFormatException.class,
                () -> StridedCopy.copy(t, new byte[16], false, "x.weight"));
        assertEquals(PthFormatException.Kind.CORRUPT, e.kind);
        assertTrue(e.getMessage().contains("x.weight") && e.getMessage().contains("storage 7"),
                e.getMessage());
    }

    // ---- Errors ----------------------------------------------------------------------------

    /** Asserts a DanetException with a one-line message naming the file and each fragment. */
    private static DanetException assertFailsNaming(Path file, Executable call, String... fragments) {
        DanetException e = assertThrows(DanetException.class, call);
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), message);
        assertFalse(message.contains("\n"), message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "expected '" + fragment + "' in: " + message);
        }
        return e;
    }

    @Test
    void missingFileIsReportedWithItsName() {
        Path file = tmp.resolve("nope.pth");
        assertFailsNaming(file, () -> PthReader.readStateDict(file), "no such file");
        assertFailsNaming(file, () -> PthReader.readObject(file), "no such file");
    }

    @Test
    void directoryIsReportedAsNotAFile() {
        assertFailsNaming(tmp, () -> PthReader.readStateDict(tmp), "directory");
    }

    @Test
    void pngImageIsNotACheckpoint() throws IOException {
        Path file = tmp.resolve("image.png");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H',
            'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0};
        Files.write(file, png);
        assertFailsNaming(file, () -> PthReader.readStateDict(file), "not a PyTorch checkpoint");
    }

    @Test
    void textFileIsNotACheckpoint() throws IOException {
        Path file = tmp.resolve("notes.pth");
        Files.writeString(file, "epoch 3, best_pred 0.5\nthis is not a checkpoint\n");
        assertFailsNaming(file, () -> PthReader.readObject(file), "not a PyTorch checkpoint");
    }

    @Test
    void emptyFileIsNotACheckpoint() throws IOException {
        Path file = Files.createFile(tmp.resolve("empty.pth"));
        assertFailsNaming(file, () -> PthReader.readObject(file), "not a PyTorch checkpoint",
                "empty");
    }

    @Test
    void zipCutInHalfIsReportedAsTruncated() throws IOException {
        Path file = cut(fixture("state_dict_zip.pth"), 0.5);
        assertFailsNaming(file, () -> PthReader.readStateDict(file), "truncated or corrupt");
    }

    @Test
    void legacyFileCutShortIsReportedAsTruncated() throws IOException {
        for (double fraction : new double[] {0.2, 0.5, 0.8, 0.99}) {
            Path file = cut(fixture("state_dict_legacy.pth"), fraction);
            assertFailsNaming(file, () -> PthReader.readStateDict(file), "truncated or corrupt");
        }
    }

    @Test
    void everyPrefixOfACheckpointFailsWithADanetException() throws IOException {
        for (String name : List.of("state_dict_legacy.pth", "state_dict_zip.pth")) {
            byte[] bytes = Files.readAllBytes(fixture(name));
            Path file = tmp.resolve("prefix-" + name);
            int step = name.contains("zip") ? 7 : 1;
            for (int n = 0; n < bytes.length; n += step) {
                Files.write(file, Arrays.copyOf(bytes, n));
                assertFailsNaming(file, () -> PthReader.readObject(file));
            }
        }
    }

    @Test
    void corruptedBytesNeverEscapeAsAnythingButDanetException() throws IOException {
        Random random = new Random(1234);
        for (String name : List.of("state_dict_legacy.pth", "wrapped_zip.pth")) {
            byte[] original = Files.readAllBytes(fixture(name));
            Path file = tmp.resolve("flipped-" + name);
            for (int round = 0; round < 300; round++) {
                byte[] bytes = original.clone();
                for (int k = 0; k < 3; k++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                Files.write(file, bytes);
                try {
                    PthReader.readObject(file);
                } catch (DanetException e) {
                    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                } catch (RuntimeException e) {
                    fail("round " + round + " of " + name + " escaped as " + e, e);
                }
            }
        }
    }

    @Test
    void zipWithoutDataPklIsNotACheckpoint() throws IOException {
        Path file = tmp.resolve("other.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("hello".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        assertFailsNaming(file, () -> PthReader.readStateDict(file), "not a PyTorch checkpoint",
                "data.pkl");
    }

    @Test
    void zipWithGarbagePickleIsCorrupt() throws IOException {
        Path file = tmp.resolve("garbage.pth");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new ZipEntry("garbage/data.pkl"));
            out.write(new byte[] {(byte) 0x80, 2, '}', 'q', 0, '(', 'X', 5, 0, 0, 0, 'a'});
            out.closeEntry();
        }
        assertFailsNaming(file, () -> PthReader.readStateDict(file), "truncated or corrupt");
    }

    @Test
    void storageEntryShorterThanItsTensorsIsCorrupt() throws IOException {
        Path file = tmp.resolve("short_storage.pth");
        rewriteZip(fixture("state_dict_zip.pth"), file,
                name -> name.endsWith("/data/0") ? 0.5 : 1.0);
        assertFailsNaming(file, () -> PthReader.readStateDict(file), "truncated or corrupt",
                "data/0");
    }

    @Test
    void missingStorageEntryIsCorrupt() throws IOException {
        Path file = tmp.resolve("missing_storage.pth");
        rewriteZip(fixture("state_dict_zip.pth"), file,
                name -> name.endsWith("/data/3") ? -1.0 : 1.0);
        assertFailsNaming(file, () -> PthReader.readStateDict(file), "truncated or corrupt",
                "data/3", "missing");
    }

    @Test
    void checkpointWithoutStateDictListsItsTopLevelKeys() {
        Path file = fixture("no_state_dict.pth");
        assertFailsNaming(file, () -> PthReader.readStateDict(file), "no state dict",
                "epoch", "note", "best_pred");
    }

    @Test
    void readObjectOfACheckpointWithoutTensorsSucceeds() {
        Map<?, ?> top = assertInstanceOf(Map.class, PthReader.readObject(fixture("no_state_dict.pth")));
        assertEquals("no tensors here", top.get("note"));
    }

    @Test
    void sameFixtureReadTwiceGivesEqualButSeparateResults() {
        Map<String, TensorData> first = PthReader.readStateDict(fixture("state_dict_legacy.pth"));
        Map<String, TensorData> second = PthReader.readStateDict(fixture("state_dict_legacy.pth"));
        Iterator<TensorData> it = second.values().iterator();
        for (TensorData t : first.values()) {
            TensorData u = it.next();
            assertEquals(t.data(), u.data());
            if (t.numel() > 0) {
                assertFalse(t.data().array() == u.data().array());
            }
        }
        assertSame(first.getClass(), LinkedHashMap.class);
    }

    // ---- Helpers ---------------------------------------------------------------------------

    private Path cut(Path source, double fraction) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        Path file = tmp.resolve("cut-" + fraction + "-" + source.getFileName());
        Files.write(file, Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
        return file;
    }

    /** Copies a zip, keeping each entry's leading fraction of bytes (negative: drop it). */
    private static void rewriteZip(Path source, Path target, Function<String, Double> keep)
            throws IOException {
        try (ZipFile in = new ZipFile(source.toFile());
                OutputStream raw = Files.newOutputStream(target);
                ZipOutputStream out = new ZipOutputStream(raw)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                double fraction = keep.apply(e.getName());
                if (fraction < 0) {
                    continue;
                }
                byte[] bytes;
                try (InputStream s = in.getInputStream(e)) {
                    bytes = s.readAllBytes();
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes, 0, (int) (bytes.length * fraction));
                out.closeEntry();
            }
        }
    }
}
