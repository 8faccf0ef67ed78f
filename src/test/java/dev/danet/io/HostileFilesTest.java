package dev.danet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.danet.DanetException;
import dev.danet.io.torch.PthReader;
import dev.danet.nn.HeadType;
import dev.danet.process.ProcessMemory;
import dev.danet.testing.ArrayFiles;
import dev.danet.testing.CraftedWeights;
import dev.danet.testing.PickleWriter;
import dev.danet.testing.TinyModels;
import dev.danet.testing.TorchSaveFiles;
import dev.danet.testing.TorchSaveFiles.Storage;
import dev.danet.testing.TorchSaveFiles.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted weights and array files, generated here: every one loads, or is refused with one
 * DanetException line that names the file, before it costs more memory than the file justifies.
 */
class HostileFilesTest {

    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
    private static final String FIRST_CONV = "pretrained.layer1.0.conv1.weight";
    private static final String CLASSIFIER = "head.conv5.4.weight";

    /** The tiny FCN's state dict, as a torch.save root. */
    private static Map<String, Object> stateDict;
    /** The tiny FCN's .danet, in parts. */
    private static CraftedWeights.DanetParts danet;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void craftTheValidFiles() {
        stateDict = CraftedWeights.tinyStateDict();
        danet = CraftedWeights.tinyDanet(shared);
    }

    // ------------------------------------------------------------------ helpers

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static ModelLoader.Loaded open(Path file) {
        return ModelLoader.open(file, ModelLoader.Options.defaults(), QUIET);
    }

    /** Loads the file and closes what it built; a refusal propagates. */
    private static void load(Path file) {
        open(file).close();
    }

    /** The call is refused with one line naming the file and holding every fragment. */
    private static DanetException assertRefused(Path file, Runnable call, String... fragments) {
        DanetException e = assertThrows(DanetException.class, call::run);
        assertOneLineNaming(file, e);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' in: " + e.getMessage());
        }
        return e;
    }

    private static void assertOneLineNaming(Path file, DanetException e) {
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    }

    /** The call succeeds or is refused in one line naming the file; anything else fails the test. */
    private static void assertLoadsOrRefuses(Path file, Runnable call) {
        try {
            call.run();
        } catch (DanetException e) {
            assertOneLineNaming(file, e);
        } catch (Throwable e) {
            fail(file + ": " + e, e);
        }
    }

    /** The state dict with some tensors replaced or added. */
    private static Map<String, Object> stateDictWith(Map<String, Object> changes) {
        Map<String, Object> changed = new LinkedHashMap<>(stateDict);
        changed.putAll(changes);
        return changed;
    }

    /** A tensor of the given shape over an empty storage: a shape with nothing behind it. */
    private static Tensor empty(String key, long... shape) {
        return Tensor.dense(new Storage(key, "float32", 0, new byte[0]), shape);
    }

    /** The tiny model's .danet with its header text changed. */
    private Path danetWithHeader(String name, String regex, String replacement) throws IOException {
        return write(name, danet.withHeader(regex, replacement));
    }

    /** Peak resident memory of the call, in MB, or skips the test where the peak cannot be reset. */
    private static long peakMegabytesOf(Runnable call) {
        Assumptions.assumeTrue(ProcessMemory.resetPeak(), "this kernel cannot reset the peak RSS");
        long before = ProcessMemory.residentBytes();
        try {
            call.run();
        } catch (DanetException expected) {
            // measured either way
        }
        return (ProcessMemory.peakBytes() - before) >> 20;
    }

    // ------------------------------------------------------------------ PyTorch checkpoints

    @Test
    void theCraftedStateDictLoadsInBothFormats() throws IOException {
        try (ModelLoader.Loaded loaded = open(write("zip.pth", TorchSaveFiles.zip(stateDict)))) {
            assertEquals(TinyModels.config(HeadType.FCN).classes(), loaded.network().config().classes());
        }
        load(write("legacy.pth", TorchSaveFiles.legacy(stateDict)));
    }

    @Test
    void tensorsImplyingWidthZeroAreRefusedNamingTheTensor() throws IOException {
        Path file = write("w0.pth", TorchSaveFiles.zip(stateDictWith(Map.of(FIRST_CONV, empty("w0", 0, 4, 3, 3)))));
        assertRefused(file, () -> load(file), FIRST_CONV, "width 0");
    }

    @Test
    void tensorsImplyingZeroClassesAreRefusedNamingTheTensor() throws IOException {
        Path file = write("c0.pth", TorchSaveFiles.zip(stateDictWith(Map.of(
                CLASSIFIER, empty("c0", 0, 8, 1, 1), "head.conv5.4.bias", empty("c0b", 0)))));
        assertRefused(file, () -> load(file), CLASSIFIER, "0 classes");
    }

    @Test
    void tensorsImplyingWidth100000AreRefusedBeforeTheNetworkIsBuilt() throws IOException {
        Path file = write("wide.pth", CraftedWeights.width100000());
        long peak = peakMegabytesOf(() -> assertRefused(file, () -> load(file), "width 100000", "parameters"));
        assertTrue(peak < 300, "refused before allocating: peak grew by " + peak + " MB");
    }

    @Test
    void aStorageWhoseByteSizeOverflowsIsRefused() throws IOException {
        long numel = 1L << 62; // x 4 bytes wraps to 0, which 0 bytes on disk would satisfy
        Tensor huge = Tensor.dense(new Storage("huge", "float32", numel, new byte[0]), numel);
        Path zip = write("huge.pth", TorchSaveFiles.zip(Map.of("x", huge)));
        assertRefused(zip, () -> PthReader.readObject(zip), String.valueOf(numel));
        Path legacy = write("huge_legacy.pth", TorchSaveFiles.legacy(Map.of("x", huge)));
        assertRefused(legacy, () -> PthReader.readObject(legacy), String.valueOf(numel));
    }

    @Test
    void zeroStridesExpandingFourBytesToGigabytesAreRefusedBeforeCopying() throws IOException {
        Path file = write("expand.pth", CraftedWeights.zeroStrideExpansion());
        long peak = peakMegabytesOf(() -> assertRefused(file, () -> PthReader.readObject(file), "expand"));
        assertTrue(peak < 300, "refused before copying: peak grew by " + peak + " MB");
    }

    @Test
    void zipSizesClaimingMoreThanTheArchiveAreRefusedBeforeAllocating() throws IOException {
        // A storage the pickle declares as 2^28 floats, whose entry the zip directory says holds
        // the gigabyte: only 8 bytes are there.
        Storage claimed = new Storage("0", "float32", 1 << 28, new byte[8]);
        byte[] zip = TorchSaveFiles.zip(Map.of("x", Tensor.dense(claimed, 2)));
        Path file = write("claims.pth", ArrayFiles.claimingSizes(zip, "archive/data/0", 1 << 30, 1 << 30));
        long peak = peakMegabytesOf(() -> assertRefused(file, () -> PthReader.readObject(file), "archive/data/0"));
        assertTrue(peak < 300, "refused before allocating: peak grew by " + peak + " MB");
        byte[] whole = ArrayFiles.danet(danet.header(), danet.weights());
        Path checkpoint = write("claims.danet", ArrayFiles.claimingSizes(whole, "weights.safetensors",
                1 << 30, 1 << 30));
        assertRefused(checkpoint, () -> load(checkpoint), "weights.safetensors");
    }

    @Test
    void aTensorLargerThanItsStorageIsRefused() throws IOException {
        Storage four = Storage.floats("s", 1, 2, 3, 4);
        Path file = write("view.pth", TorchSaveFiles.zip(Map.of("x",
                new Tensor(four, 0, new long[] {1L << 61, 1L << 3}, new long[] {0, 0}))));
        assertRefused(file, () -> PthReader.readObject(file), "x");
    }

    @Test
    void aWrapperHoldingOneTensorBesideTheStateDictLoadsTheStateDict() throws IOException {
        Map<String, Object> wrapper = new LinkedHashMap<>();
        wrapper.put("epoch", 3);
        wrapper.put("state_dict", stateDict);
        wrapper.put("best_pred", Tensor.floats("best", new float[] {0.5f}));
        try (ModelLoader.Loaded loaded = open(write("wrapped.pth", TorchSaveFiles.zip(wrapper)))) {
            assertEquals(3, loaded.network().config().classes());
        }
    }

    @Test
    void nonFiniteWeightsLoadWithAWarningNamingTheTensors() throws IOException {
        float[] weights = new float[3 * 8];
        weights[5] = Float.NaN;
        weights[6] = Float.POSITIVE_INFINITY;
        Path file = write("nan.pth", TorchSaveFiles.zip(stateDictWith(Map.of(
                CLASSIFIER, Tensor.floats("nan", weights, 3, 8, 1, 1)))));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ModelLoader.open(file, ModelLoader.Options.defaults(), new PrintStream(log, true, StandardCharsets.UTF_8))
                .close();
        String warning = log.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, warning.lines().count(), warning);
        assertTrue(warning.startsWith("warning: " + file) && warning.contains(CLASSIFIER)
                && warning.contains("NaN"), warning);
    }

    @Test
    void picklesNestedTenThousandDeepAreRefusedInOneLine() throws IOException {
        Path file = write("deep.pth", TorchSaveFiles.zip(TorchSaveFiles.nestedDicts(10_000), List.of()));
        assertLoadsOrRefuses(file, () -> load(file));
    }

    @Test
    void aStringClaimingTwoGigabytesIsRefusedBeforeItIsAllocated() throws IOException {
        byte[] pickle = new PickleWriter().proto().emptyDict().mark().strClaiming(Integer.MAX_VALUE, "key")
                .setItems().stop().bytes();
        Path file = write("long_str.pth", TorchSaveFiles.zip(pickle, List.of()));
        assertRefused(file, () -> PthReader.readObject(file), "2147483647");
    }

    @Test
    void everyTruncationOfACheckpointIsRefusedInOneLine() throws IOException {
        Map<String, Object> small = Map.of("a", Tensor.floats("0", new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                "b", Map.of("c", Tensor.floats("1", new float[] {7}, 1)));
        for (byte[] whole : List.of(TorchSaveFiles.zip(small), TorchSaveFiles.legacy(small))) {
            for (int length = 0; length < whole.length; length += 3) {
                Path file = write("cut.pth", Arrays.copyOf(whole, length));
                assertLoadsOrRefuses(file, () -> PthReader.readStateDict(file));
            }
        }
    }

    @Test
    void randomlyCorruptedPicklesLoadOrAreRefusedInOneLine() throws IOException {
        Map<String, Object> small = Map.of("a", Tensor.floats("0", new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                "meta", Map.of("epoch", 3, "name", "x", "list", List.of(1, 2.5)));
        byte[] pickle = TorchSaveFiles.pickle(small, false);
        List<Storage> storages = TorchSaveFiles.storages(small);
        Random random = new Random(13);
        for (int trial = 0; trial < 300; trial++) {
            byte[] mutated = pickle.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            Path file = write("mutant.pth", TorchSaveFiles.zip(mutated, storages));
            assertLoadsOrRefuses(file, () -> PthReader.readObject(file));
        }
    }

    // ------------------------------------------------------------------ .danet checkpoints

    @Test
    void aDanetWithANullConfigIsRefused() throws IOException {
        Path file = danetWithHeader("null.danet", "\"config\" : \\{[^}]*\\}", "\"config\" : null");
        assertRefused(file, () -> load(file), "no model configuration");
    }

    @Test
    void aDanetWithANullCardLoadsWithTheCardOfItsMetadata() throws IOException {
        Path file = danetWithHeader("nocard.danet", "\"card\" : \\{", "\"card\" : null, \"x\" : {");
        try (ModelLoader.Loaded loaded = open(file)) {
            assertEquals(TinyModels.CLASSES, loaded.card().classNames());
        }
    }

    @Test
    void aDanetClaimingTwoBillionClassesIsRefusedBeforeBuilding() throws IOException {
        Path file = danetWithHeader("classes.danet", "\"classes\" : 3", "\"classes\" : 2147483647");
        long peak = peakMegabytesOf(() -> assertRefused(file, () -> load(file), "2147483647"));
        assertTrue(peak < 300, "refused before allocating: peak grew by " + peak + " MB");
    }

    @Test
    void aDanetWhoseConfigIsWiderThanItsWeightsIsRefusedBeforeBuilding() throws IOException {
        Path file = write("wide.danet", CraftedWeights.widerThanItsWeights(danet));
        long peak = peakMegabytesOf(() -> assertRefused(file, () -> load(file), "width 512", "parameters"));
        assertTrue(peak < 300, "refused before building: peak grew by " + peak + " MB");
    }

    @Test
    void aDanetWithAnImplausibleConfigIsRefusedInOneLine() throws IOException {
        Path stride = danetWithHeader("stride.danet", "\"outputStride\" : 8", "\"outputStride\" : 7");
        assertRefused(stride, () -> load(stride), "output stride");
        Path width = danetWithHeader("negative.danet", "\"width\" : 4", "\"width\" : -4");
        assertRefused(width, () -> load(width), "width");
        Path head = danetWithHeader("head.danet", "\"head\" : \"fcn\"", "\"head\" : [1, 2]");
        assertRefused(head, () -> load(head), "configuration");
    }

    @Test
    void aSafetensorsHeaderClaimingTwoGigabytesIsRefusedBeforeItIsAllocated() throws IOException {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        for (long claimed : new long[] {1L << 31, -1L, Long.MAX_VALUE, danet.weights().length}) {
            Path file = write("claim.danet", ArrayFiles.danet(danet.header(),
                    ArrayFiles.safetensorsClaiming(claimed, header, new byte[16])));
            long peak = peakMegabytesOf(() -> assertRefused(file, () -> load(file), "header"));
            assertTrue(peak < 300, claimed + ": refused before allocating: peak grew by " + peak + " MB");
        }
    }

    @Test
    void safetensorsOffsetsAndTypesThatDisagreeWithTheDataAreRefused() throws IOException {
        String[] headers = {
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4294967296]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}",
            "{\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,0]}}",
            "{\"x\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":\"two\",\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2]}}",
            "{\"x\":7}",
            "[1, 2]",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}",
            "",
        };
        for (String header : headers) {
            Path file = write("bad.danet", ArrayFiles.danet(danet.header(),
                    ArrayFiles.safetensors(header, new byte[8])));
            assertRefused(file, () -> ModelCheckpoint.readWeights(file), "weights");
        }
    }

    @Test
    void aTruncatedDanetIsReportedAsATruncatedDanet() throws IOException {
        byte[] whole = Files.readAllBytes(shared.resolve("tiny-fcn.danet"));
        for (int length = 64; length < whole.length; length += whole.length / 40) {
            Path file = write("cut.danet", Arrays.copyOf(whole, length));
            DanetException e = assertRefused(file, () -> load(file), "truncated .danet");
            assertFalse(e.getMessage().contains("PyTorch"), e.getMessage());
        }
    }

    @Test
    void everyTruncationOfTheWeightsEntryIsRefusedInOneLine() throws IOException {
        for (int length = 0; length < danet.weights().length; length += danet.weights().length / 50 + 1) {
            Path file = write("short.danet", ArrayFiles.danet(danet.header(), Arrays.copyOf(danet.weights(), length)));
            assertRefused(file, () -> load(file));
        }
    }

    @Test
    void aZipBombInPlaceOfTheWeightsIsRefusedBeforeItIsInflated() throws IOException {
        byte[] bytes = CraftedWeights.zipBomb(danet.header(), 512L << 20);
        assertTrue(bytes.length < 1 << 20, "a small file: " + bytes.length);
        Path bomb = write("bomb.danet", bytes);
        long peak = peakMegabytesOf(() -> assertRefused(bomb, () -> load(bomb), "weights.safetensors", "100:1"));
        assertTrue(peak < 300, "refused before inflating: peak grew by " + peak + " MB");
    }

    // ------------------------------------------------------------------ .npy arrays

    @Test
    void npyShapesThatAreNegativeOrOverflowAreRefused() throws IOException {
        Path negative = write("neg.npy", ArrayFiles.npyFloats("(1, 3, -8, 8)"));
        assertRefused(negative, () -> Npy.read(negative), "-8");
        Path overflow = write("big.npy", ArrayFiles.npyFloats("(4611686018427387904, 3, 8, 8)"));
        assertRefused(overflow, () -> Npy.read(overflow), "4611686018427387904");
        Path text = write("text.npy", ArrayFiles.npyFloats("(1, three)"));
        assertRefused(text, () -> Npy.read(text), "three");
    }

    @Test
    void npyHeadersAndDataLongerThanTheFileAreRefusedBeforeAllocating() throws IOException {
        for (long claimed : new long[] {Integer.MAX_VALUE, -1L, 1L << 20}) {
            Path file = write("header.npy", ArrayFiles.npyClaimingHeader(claimed, new byte[32]));
            long peak = peakMegabytesOf(() -> assertRefused(file, () -> Npy.read(file), "header"));
            assertTrue(peak < 100, claimed + ": refused before allocating: peak grew by " + peak + " MB");
        }
        Path data = write("data.npy", ArrayFiles.npyFloats("(20000, 20000)", 1, 2, 3));
        long peak = peakMegabytesOf(() -> assertRefused(data, () -> Npy.read(data), "20000"));
        assertTrue(peak < 100, "refused before allocating: peak grew by " + peak + " MB");
    }

    @Test
    void everyTruncationOfAnNpyIsRefusedInOneLine() throws IOException {
        byte[] whole = ArrayFiles.npyFloats("(1, 3, 2, 2)", new float[12]);
        for (int length = 0; length < whole.length; length++) {
            Path file = write("cut.npy", Arrays.copyOf(whole, length));
            assertRefused(file, () -> Npy.read(file));
        }
        Npy.read(write("whole.npy", whole));
    }

    @Test
    void npyWithTheWrongMagicOrTypeIsRefused() throws IOException {
        byte[] whole = ArrayFiles.npyFloats("(2,)", 1, 2);
        Consumer<byte[]> refused = bytes -> {
            try {
                Path file = write("odd.npy", bytes);
                assertRefused(file, () -> Npy.read(file));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        byte[] magic = whole.clone();
        magic[1] = 'X';
        refused.accept(magic);
        refused.accept(ArrayFiles.npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", new byte[8]));
        refused.accept(ArrayFiles.npy("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", new byte[16]));
        refused.accept(ArrayFiles.npy("{'shape': (2,), }", new byte[8]));
    }
}
