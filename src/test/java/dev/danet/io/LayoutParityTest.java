package dev.danet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.nn.FcnStyle;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.Stem;
import dev.danet.testing.Fixtures;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mmsegmentation and torchvision checkpoints (tools/make_layout_fixtures.py: their published
 * layouts at base width 4, random weights, calibrated batch norms, non-zero attention scales)
 * load through the real import path with no flags, are recognised as what they are, and give
 * PyTorch's float64 outputs: every output, in float64 to round-off, in float32 as close as
 * PyTorch's own float32 run.
 */
class LayoutParityTest {

    private static final double FLOAT64_TOLERANCE = 1e-11; // seen: up to 2.0e-13 (R101 DANet)

    private static Path fixture(String name) {
        return Fixtures.ROOT.resolve("layouts").resolve(name);
    }

    private static ModelLoader.Loaded open(Path fixture, DataType type) {
        return ModelLoader.open(fixture.resolve("model.pth"), ModelLoader.Options.defaults().withDataType(type),
                new PrintStream(PrintStream.nullOutputStream()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmseg_danet_r50", "mmseg_danet_r101", "mmseg_danet_r50_bare", "mmseg_fcn_r50",
        "mmseg_fcn_r101", "torchvision_fcn_r50"})
    void architectureAndCardAreReadFromTheFile(String name) {
        Path fixture = fixture(name);
        JsonNode expected = Fixtures.config(fixture);
        try (ModelLoader.Loaded loaded = open(fixture, DataType.FLOAT32)) {
            ModelConfig config = loaded.network().config();
            boolean mmseg = expected.get("layout").asText().equals("mmseg");
            assertEquals(expected.get("backbone").asText(), config.backbone().id());
            assertEquals(expected.get("head").asText(), config.head().id());
            assertEquals(expected.get("classes").asInt(), config.classes());
            assertEquals(expected.get("aux").asBoolean(), config.aux());
            assertEquals(expected.get("width").asInt(), config.width());
            assertEquals(expected.get("align_corners").asBoolean(), config.alignCorners(), "align_corners");
            assertEquals(mmseg ? Stem.DEEP_V1C : Stem.CONV7, config.stem());
            assertEquals(8, config.outputStride());
            if (config.head() == dev.danet.nn.HeadType.FCN) {
                assertEquals(mmseg ? FcnStyle.TWO_CONVS_CONCAT : FcnStyle.ONE_CONV, config.fcnStyle());
            }
            ModelCard card = loaded.card();
            assertTrue(card.source().startsWith(mmseg ? "mmseg checkpoint" : "torchvision-fcn checkpoint"), card.source());
            if (!expected.get("class_names").isNull()) {
                List<String> names = new ArrayList<>();
                expected.get("class_names").forEach(n -> names.add(n.asText()));
                assertEquals(names, card.classNames());
                // PALETTE / dataset_meta.palette: road is (128, 64, 128)
                assertEquals(0x804080, card.palette()[0]);
                assertEquals(expected.get("sliding").asBoolean(), card.testRecipe().sliding());
                if (card.testRecipe().sliding()) {
                    assertEquals(769, card.testRecipe().crop());
                    assertEquals(513, card.testRecipe().stride());
                }
                assertEquals(2048, card.testRecipe().resizeLong());
                assertEquals(1024, card.testRecipe().resizeShort());
                assertArrayEquals(dev.danet.data.Normalization.IMAGENET.mean(), card.normalization().mean(), 1e-6f);
                assertEquals(expected.get("reduce_zero_label").asBoolean(), card.reduceZeroLabel());
            } else if (mmseg) {
                assertEquals(null, card.testRecipe(), "a bare mmseg state dict records no recipe");
            } else {
                assertEquals(dev.danet.io.TestRecipe.WHOLE.withResize(0, 520), card.testRecipe());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmseg_danet_r50", "mmseg_danet_r101", "mmseg_danet_r50_bare", "mmseg_fcn_r50",
        "mmseg_fcn_r101", "torchvision_fcn_r50"})
    void everyOutputMatchesPyTorchFloat64(String name) {
        Path fixture = fixture(name);
        JsonNode expected = Fixtures.config(fixture);
        try (ModelLoader.Loaded loaded = open(fixture, DataType.FLOAT64);
                NDManager m = loaded.network().manager().newSubManager()) {
            Network network = loaded.network();
            NDArray input = Fixtures.array(m, fixture.resolve("input.npy"), DataType.FLOAT64);
            List<NDArray> outputs = network.forwardAll(input, false).all();
            assertEquals(expected.get("outputs").asInt(), outputs.size());
            double worst = 0;
            for (int i = 0; i < outputs.size(); i++) {
                double error = Fixtures.relativeL2(outputs.get(i), fixture.resolve("out_" + i + ".npy"));
                assertTrue(error <= FLOAT64_TOLERANCE, name + " out_" + i + " relative L2 " + error);
                worst = Math.max(worst, error);
            }
            System.out.printf("%s float64: worst output relative L2 %.2e%n", name, worst);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmseg_danet_r50", "mmseg_danet_r101", "mmseg_fcn_r50", "torchvision_fcn_r50"})
    void float32IsAsCloseToFloat64AsPyTorchFloat32Is(String name) {
        Path fixture = fixture(name);
        double torch = Fixtures.config(fixture).get("float32_vs_float64_rel_l2").asDouble();
        try (ModelLoader.Loaded loaded = open(fixture, DataType.FLOAT32);
                NDManager m = loaded.network().manager().newSubManager()) {
            NDArray input = Fixtures.array(m, fixture.resolve("input.npy"), DataType.FLOAT32);
            double error = Fixtures.relativeL2(loaded.network().predict(input), fixture.resolve("out_0.npy"));
            System.out.printf("%s float32: java %.2e, torch %.2e%n", name, error, torch);
            assertTrue(error <= Math.max(1e-5, 3 * torch), name + ": java " + error + ", torch " + torch);
        }
    }

    @org.junit.jupiter.api.Test
    void convertedCheckpointKeepsArchitectureCardAndOutputs(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path fixture = fixture("mmseg_danet_r101");
        Path converted = dir.resolve("model.danet");
        try (ModelLoader.Loaded loaded = open(fixture, DataType.FLOAT64)) {
            ModelCheckpoint.save(converted, loaded.network(), loaded.card(), java.util.Map.of(), java.util.Map.of());
        }
        try (ModelLoader.Loaded original = open(fixture, DataType.FLOAT64);
                ModelLoader.Loaded reloaded = ModelLoader.open(converted,
                        ModelLoader.Options.defaults().withDataType(DataType.FLOAT64),
                        new PrintStream(PrintStream.nullOutputStream()));
                NDManager m = reloaded.network().manager().newSubManager()) {
            assertEquals(original.network().config(), reloaded.network().config());
            assertEquals(original.card(), reloaded.card());
            NDArray input = Fixtures.array(m, fixture.resolve("input.npy"), DataType.FLOAT64);
            double error = Fixtures.relativeL2(reloaded.network().predict(input), fixture.resolve("out_0.npy"));
            assertTrue(error <= FLOAT64_TOLERANCE, "converted model relative L2 " + error);
        }
    }

    @org.junit.jupiter.api.Test
    void alignCornersFlagOverridesTheMeta() {
        Path fixture = fixture("mmseg_danet_r101");
        try (ModelLoader.Loaded loaded = ModelLoader.open(fixture.resolve("model.pth"),
                ModelLoader.Options.defaults().withDataType(DataType.FLOAT64).withAlignCorners(false),
                new PrintStream(PrintStream.nullOutputStream()));
                NDManager m = loaded.network().manager().newSubManager()) {
            assertEquals(false, loaded.network().config().alignCorners());
            NDArray input = Fixtures.array(m, fixture.resolve("input.npy"), DataType.FLOAT64);
            double error = Fixtures.relativeL2(loaded.network().predict(input), fixture.resolve("out_0.npy"));
            assertTrue(error > 1e-4, "the wrong upsampling must show: relative L2 " + error);
        }
    }
}
