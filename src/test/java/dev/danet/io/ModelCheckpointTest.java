package dev.danet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.danet.DanetException;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import dev.danet.nn.ScaleConfig;
import dev.danet.nn.ScaleFusion;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project's own checkpoint format: configuration and weights round-trip, writes are atomic. */
class ModelCheckpointTest {

    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
    private static final ModelConfig CONFIG =
            new ModelConfig(ResNetDepth.RESNET34, 4, true, 16, true, HeadType.CAM, true, 6);

    @TempDir
    Path dir;

    @Test
    void savedCheckpointLoadsBackWithoutFlagsAndPredictsTheSame() {
        Path file = dir.resolve("model.danet");
        try (Network original = Network.create(CONFIG); NDManager m = original.manager().newSubManager()) {
            original.parameters().get("head.sc.gamma").getArray().addi(0.25f);
            NDArray input = m.randomNormal(new Shape(1, 3, 40, 56));
            float[] expected = original.predict(input).toFloatArray();
            ModelCheckpoint.save(file, original, Map.of("note", "test"));
            assertEquals("test", ModelCheckpoint.readHeader(file).metadata().get("note").asText());
            try (Network loaded = ModelLoader.load(file, ModelLoader.Options.defaults(), QUIET);
                    NDManager m2 = loaded.manager().newSubManager()) {
                assertEquals(CONFIG, loaded.config());
                NDArray again = m2.create(input.toFloatArray(), input.getShape());
                float[] actual = loaded.predict(again).toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 0f, "element " + i);
                }
            }
        }
    }

    @Test
    void aMultiScaleModelRoundTripsWithItsScalesAndFusion() {
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.FCN, false, 3)
                .withScales(new ScaleConfig(List.of(1.0, 0.75, 0.5), ScaleFusion.ATTENTION));
        Path file = dir.resolve("ms.danet");
        try (Network original = Network.create(config); NDManager m = original.manager().newSubManager()) {
            original.parameters().get("scale_attention.2.weight").getArray().addi(0.3f);
            NDArray input = m.randomNormal(new Shape(1, 3, 32, 40));
            float[] expected = original.predict(input).toFloatArray();
            ModelCheckpoint.save(file, original, Map.of());
            try (Network loaded = ModelLoader.load(file, ModelLoader.Options.defaults(), QUIET);
                    NDManager m2 = loaded.manager().newSubManager()) {
                assertEquals(config, loaded.config());
                assertTrue(loaded.multiScale() != null);
                float[] actual = loaded.predict(m2.create(input.toFloatArray(), input.getShape())).toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 0f, "element " + i);
                }
            }
        }
    }

    @Test
    void aSingleScaleConfigurationIsWrittenAsBefore() throws IOException {
        Path file = dir.resolve("one.danet");
        try (Network network = Network.create(CONFIG)) {
            ModelCheckpoint.save(file, network, Map.of());
        }
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            String json = new String(zip.getInputStream(zip.getEntry("checkpoint.json")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(!json.contains("scales"), json);
        }
        // A header from before the scales existed reads as a single-scale model.
        ModelConfig old = new com.fasterxml.jackson.databind.ObjectMapper().readValue("{\"backbone\":\"resnet18\","
                + "\"width\":4,\"deepStem\":false,\"outputStride\":8,\"multiGrid\":false,\"head\":\"fcn\","
                + "\"aux\":false,\"classes\":3}", ModelConfig.class);
        assertEquals(new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.FCN, false, 3), old);
    }

    @Test
    void saveLeavesNoTemporaryFiles() throws IOException {
        try (Network network = Network.create(CONFIG)) {
            ModelCheckpoint.save(dir.resolve("a.danet"), network, Map.of());
            ModelCheckpoint.save(dir.resolve("a.danet"), network, Map.of());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void requestingAnotherClassCountIsAClearError() {
        Path file = dir.resolve("model.danet");
        try (Network network = Network.create(CONFIG)) {
            ModelCheckpoint.save(file, network, Map.of());
        }
        ModelLoader.Options options = new ModelLoader.Options(null, 19, null, null, null, true, null, null);
        DanetException e = assertThrows(DanetException.class, () -> ModelLoader.load(file, options, QUIET));
        assertTrue(e.getMessage().contains("classes 6") && e.getMessage().contains("19"), e.getMessage());
    }

    @Test
    void notAZipIsNotMistakenForACheckpoint() throws IOException {
        Path file = dir.resolve("x.danet");
        Files.writeString(file, "hello");
        assertTrue(!ModelCheckpoint.isCheckpoint(file));
    }
}
