package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.io.ModelCheckpoint;
import dev.danet.io.ModelLoader;
import dev.danet.io.TensorData;
import dev.danet.io.layout.ConfigInference;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head's branch width as a setting: the layers it sizes, how it is saved, and how a file tells it. */
class HeadChannelsTest {

    /** ResNet-18 at width 4: 32 feature channels, so the reference's head is 8 wide with one query channel. */
    private static final ModelConfig DANET =
            new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.DANET, false, 3);

    @TempDir
    Path dir;

    @Test
    void theSettingSizesEveryBranchAndGivesPositionAttentionAnEighthForQueries() {
        try (Network wide = Network.create(DANET.withHeadChannels(64));
                Network reference = Network.create(DANET)) {
            assertArrayEquals(new long[] {64, 32, 3, 3}, shape(wide, "head.conv5a.0.weight"));
            assertArrayEquals(new long[] {64, 32, 3, 3}, shape(wide, "head.conv5c.0.weight"));
            assertArrayEquals(new long[] {8, 64, 1, 1}, shape(wide, "head.sa.query_conv.weight"));
            assertArrayEquals(new long[] {64, 64, 1, 1}, shape(wide, "head.sa.value_conv.weight"));
            assertArrayEquals(new long[] {3, 64, 1, 1}, shape(wide, "head.conv8.1.weight"));
            assertArrayEquals(new long[] {8, 32, 3, 3}, shape(reference, "head.conv5a.0.weight"));
            assertArrayEquals(new long[] {1, 8, 1, 1}, shape(reference, "head.sa.query_conv.weight"));
        }
        try (Network fcn = Network.create(DANET.withHead(HeadType.FCN).withAux(true).withHeadChannels(24))) {
            assertArrayEquals(new long[] {24, 32, 3, 3}, shape(fcn, "head.conv5.0.weight"));
            assertArrayEquals(new long[] {4, 16, 3, 3}, shape(fcn, "auxlayer.conv5.0.weight"),
                    "the auxiliary head keeps the reference's layer3 / 4");
        }
        assertEquals(8, DANET.headBranchChannels());
        assertEquals(64, DANET.withHeadChannels(64).headBranchChannels());
        assertTrue(DANET.withHeadChannels(64).describe().startsWith("danet head of 64 channels on resnet18"),
                DANET.withHeadChannels(64).describe());
    }

    @Test
    void widthsThatLeavePositionAttentionNoQueriesAreRefused() {
        IllegalArgumentException narrow = assertThrows(IllegalArgumentException.class, () -> DANET.withHeadChannels(4));
        assertTrue(narrow.getMessage().contains("head channels 4"), narrow.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DANET.withHeadChannels(0));
        assertEquals(4, DANET.withHead(HeadType.CAM).withHeadChannels(4).headBranchChannels(), "CAM has no queries");
    }

    @Test
    void aWideHeadRoundTripsThroughACheckpointAndTheReferenceWidthIsNotWritten() throws Exception {
        ModelConfig wide = DANET.withHeadChannels(16);
        Path file = dir.resolve("wide.danet");
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        try (Network original = Network.create(wide); NDManager m = original.manager().newSubManager()) {
            original.parameters().get("head.sa.gamma").getArray().addi(0.5f);
            NDArray input = m.randomNormal(new Shape(1, 3, 32, 48));
            float[] expected = original.predict(input).toFloatArray();
            ModelCheckpoint.save(file, original, Map.of());
            try (Network loaded = ModelLoader.load(file, ModelLoader.Options.defaults(), quiet);
                    NDManager m2 = loaded.manager().newSubManager()) {
                assertEquals(wide, loaded.config());
                float[] actual = loaded.predict(m2.create(input.toFloatArray(), input.getShape())).toFloatArray();
                assertArrayEquals(expected, actual);
            }
        }
        ObjectMapper json = new ObjectMapper();
        assertFalse(json.writeValueAsString(DANET).contains("headChannels"), "files of the reference width read as before");
        assertEquals(wide, json.readValue(json.writeValueAsString(wide), ModelConfig.class));
    }

    @Test
    void aStateDictTellsTheHeadWidthByItsClassifier() {
        for (HeadType head : HeadType.values()) {
            ModelConfig reference = DANET.withHead(head);
            assertNull(inferredHeadChannels(reference), head + " of the reference width");
            assertEquals(16, inferredHeadChannels(reference.withHeadChannels(16)), head.id());
        }
        ModelConfig mmsegFcn = DANET.withHead(HeadType.FCN).withFcnStyle(FcnStyle.TWO_CONVS_CONCAT);
        assertEquals(24, inferredHeadChannels(mmsegFcn.withHeadChannels(24)));
    }

    private static Integer inferredHeadChannels(ModelConfig config) {
        Map<String, TensorData> state = new LinkedHashMap<>();
        try (Network network = Network.create(config)) {
            network.parameters().forEach((name, p) -> state.put(name, zeros(name, p.getArray().getShape().getShape())));
        }
        return ConfigInference.infer(state, false, "test.pth").headChannels();
    }

    private static TensorData zeros(String name, long[] shape) {
        ByteBuffer data = ByteBuffer.allocate(4 * (int) TensorData.numel(shape)).order(ByteOrder.LITTLE_ENDIAN);
        return new TensorData(name, "float32", shape, data);
    }

    private static long[] shape(Network network, String name) {
        return network.parameters().get(name).getArray().getShape().getShape();
    }
}
