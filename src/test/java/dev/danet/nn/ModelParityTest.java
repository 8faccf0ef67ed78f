package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.io.ModelLoader;
import dev.danet.testing.Fixtures;
import java.io.PrintStream;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity with PyTorch on the golden fixtures: each reference checkpoint goes through the real
 * import path, and every output, the backbone, PAM, CAM and the head are compared with
 * PyTorch's float64 results. In float64 the Java model must agree to round-off (the maths is
 * the same); in float32 it must be as close to float64 as PyTorch's own float32 run is.
 */
class ModelParityTest {

    private static final double FLOAT64_TOLERANCE = 1e-5;
    // Float64 round-off through ~50 layers and peaked attention softmaxes (seen: up to 1.7e-14;
    // 1.1e-9 while batch norm took DJL's float epsilon, 1e-5f, see BatchNorm2d).
    private static final double FLOAT64_EXPECTED_ROUNDOFF = 1e-12;

    static Network load(Path fixture, DataType type) {
        JsonNode config = Fixtures.config(fixture);
        ModelLoader.Options options = ModelLoader.Options.defaults().withDataType(type)
                .withOutputStride(config.get("output_stride").asInt(), config.get("multi_grid").asBoolean());
        return ModelLoader.load(fixture.resolve("model.pth"), options, new PrintStream(PrintStream.nullOutputStream()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"danet_r50_w4", "fcn_r18_w8_deepstem", "pam_r18_w8", "cam_r34_w4"})
    void everyOutputMatchesPyTorchFloat64(String name) {
        Path fixture = Fixtures.model(name);
        JsonNode config = Fixtures.config(fixture);
        try (Network network = load(fixture, DataType.FLOAT64); NDManager m = network.manager().newSubManager()) {
            assertEquals(config.get("classes").asInt(), network.config().classes());
            assertEquals(config.get("head").asText(), network.config().head().id());
            assertEquals(config.get("backbone").asText(), network.config().backbone().id());
            NDArray input = Fixtures.array(m, fixture.resolve("input.npy"), DataType.FLOAT64);
            List<NDArray> outputs = network.forwardAll(input, false).all();
            assertEquals(config.get("outputs").asInt(), outputs.size());
            double worst = 0;
            for (int i = 0; i < outputs.size(); i++) {
                double error = Fixtures.relativeL2(outputs.get(i), fixture.resolve("out_" + i + ".npy"));
                assertTrue(error <= FLOAT64_EXPECTED_ROUNDOFF, name + " out_" + i + " relative L2 " + error);
                worst = Math.max(worst, error);
            }
            System.out.printf("%s float64: every output within %.2e%n", name, worst);
            double mainError = Fixtures.relativeL2(network.predict(input), fixture.resolve("out_0.npy"));
            assertTrue(mainError <= FLOAT64_TOLERANCE, name + " predict() relative L2 " + mainError);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"danet_r50_w4", "fcn_r18_w8_deepstem", "pam_r18_w8", "cam_r34_w4"})
    void float32OutputsAreAsCloseToFloat64AsPyTorchFloat32Is(String name) {
        Path fixture = Fixtures.model(name);
        double torchFloat32Error = Fixtures.config(fixture).get("float32_vs_float64_rel_l2").asDouble();
        try (Network network = load(fixture, DataType.FLOAT32); NDManager m = network.manager().newSubManager()) {
            NDArray input = Fixtures.array(m, fixture.resolve("input.npy"), DataType.FLOAT32);
            double error = Fixtures.relativeL2(network.predict(input), fixture.resolve("out_0.npy"));
            System.out.printf("%s float32: java %.2e, torch %.2e%n", name, error, torchFloat32Error);
            assertTrue(error <= Math.max(1e-5, 3 * torchFloat32Error),
                    name + ": java float32 relative L2 " + error + ", torch float32 " + torchFloat32Error);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"danet_r50_w4", "fcn_r18_w8_deepstem", "pam_r18_w8", "cam_r34_w4"})
    void backboneMatchesOnItsOwn(String name) {
        Path fixture = Fixtures.model(name);
        try (Network network = load(fixture, DataType.FLOAT64); NDManager m = network.manager().newSubManager()) {
            NDArray input = Fixtures.array(m, fixture.resolve("input.npy"), DataType.FLOAT64);
            NDList features = network.baseModel().backbone().forward(network.parameterStore(), new NDList(input), false);
            double c3 = Fixtures.relativeL2(features.get(2), fixture.resolve("c3.npy"));
            double c4 = Fixtures.relativeL2(features.get(3), fixture.resolve("c4.npy"));
            System.out.printf("%s backbone float64: c3 %.2e, c4 %.2e%n", name, c3, c4);
            assertTrue(c3 <= FLOAT64_EXPECTED_ROUNDOFF, name + " c3 " + c3);
            assertTrue(c4 <= FLOAT64_EXPECTED_ROUNDOFF, name + " c4 " + c4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"danet_r50_w4", "fcn_r18_w8_deepstem", "pam_r18_w8", "cam_r34_w4"})
    void headMatchesOnItsOwnFromTheReferenceFeatures(String name) {
        Path fixture = Fixtures.model(name);
        try (Network network = load(fixture, DataType.FLOAT64); NDManager m = network.manager().newSubManager()) {
            NDArray features = Fixtures.array(m, fixture.resolve("head_in.npy"), DataType.FLOAT64);
            NDList scores = network.baseModel().head().forward(network.parameterStore(), new NDList(features), false);
            for (int i = 0; i < scores.size(); i++) {
                double error = Fixtures.relativeL2(scores.get(i), fixture.resolve("head_out_" + i + ".npy"));
                assertTrue(error <= FLOAT64_EXPECTED_ROUNDOFF, name + " head_out_" + i + " relative L2 " + error);
            }
            if (Files.exists(fixture.resolve("aux_out.npy"))) {
                NDArray c3 = Fixtures.array(m, fixture.resolve("c3.npy"), DataType.FLOAT64);
                NDArray aux = network.baseModel().aux().forward(network.parameterStore(), new NDList(c3), false)
                        .singletonOrThrow();
                assertTrue(Fixtures.relativeL2(aux, fixture.resolve("aux_out.npy")) <= FLOAT64_EXPECTED_ROUNDOFF);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"danet_r50_w4", "pam_r18_w8"})
    void positionAttentionModuleMatchesOnItsOwn(String name) {
        Path fixture = Fixtures.model(name);
        try (Network network = load(fixture, DataType.FLOAT64); NDManager m = network.manager().newSubManager()) {
            PositionAttention pam = ((DanetHead) network.baseModel().head()).positionAttention();
            NDArray in = Fixtures.array(m, fixture.resolve("pam_in.npy"), DataType.FLOAT64);
            NDArray out = pam.forward(network.parameterStore(), new NDList(in), false).singletonOrThrow();
            double error = Fixtures.relativeL2(out, fixture.resolve("pam_out.npy"));
            assertTrue(error <= FLOAT64_EXPECTED_ROUNDOFF, name + " PAM relative L2 " + error);
            assertTrue(Fixtures.relativeL2(in, fixture.resolve("pam_out.npy")) > 0.1,
                    "the fixture's PAM must change its input, or this test proves nothing");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"danet_r50_w4", "cam_r34_w4"})
    void channelAttentionModuleMatchesOnItsOwn(String name) {
        Path fixture = Fixtures.model(name);
        try (Network network = load(fixture, DataType.FLOAT64); NDManager m = network.manager().newSubManager()) {
            ChannelAttention cam = ((DanetHead) network.baseModel().head()).channelAttention();
            NDArray in = Fixtures.array(m, fixture.resolve("cam_in.npy"), DataType.FLOAT64);
            NDArray out = cam.forward(network.parameterStore(), new NDList(in), false).singletonOrThrow();
            double error = Fixtures.relativeL2(out, fixture.resolve("cam_out.npy"));
            assertTrue(error <= FLOAT64_EXPECTED_ROUNDOFF, name + " CAM relative L2 " + error);
            assertTrue(Fixtures.relativeL2(in, fixture.resolve("cam_out.npy")) > 0.05,
                    "the fixture's CAM must change its input, or this test proves nothing");
        }
    }

    @org.junit.jupiter.api.Test
    void torchvisionBackboneInitialisesTheBackboneExactly() {
        Path fixture = Fixtures.model("danet_r50_w4");
        ModelLoader.Options options = new ModelLoader.Options(null, 5, HeadType.DANET, 8, true, true, null,
                DataType.FLOAT64);
        try (Network network = ModelLoader.load(Fixtures.ROOT.resolve("model/torchvision_r50_w4.pth"), options,
                        new PrintStream(PrintStream.nullOutputStream()));
                NDManager m = network.manager().newSubManager()) {
            assertEquals(ResNetDepth.RESNET50, network.config().backbone());
            assertEquals(4, network.config().width());
            NDArray input = Fixtures.array(m, fixture.resolve("input.npy"), DataType.FLOAT64);
            NDList features = network.baseModel().backbone().forward(network.parameterStore(), new NDList(input), false);
            double c4 = Fixtures.relativeL2(features.get(3), fixture.resolve("c4.npy"));
            assertTrue(c4 <= FLOAT64_EXPECTED_ROUNDOFF, "c4 " + c4);
        }
    }
}
