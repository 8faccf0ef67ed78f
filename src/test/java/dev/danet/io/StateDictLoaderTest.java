package dev.danet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.DanetException;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mapping state dicts onto the model: what is ignored, what is an error, and what non-strict does. */
class StateDictLoaderTest {

    private static final ModelConfig CONFIG =
            new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.PAM, false, 3);

    /** A state dict with every key of the model, filled with a constant. */
    private static Map<String, TensorData> fullStateDict(Network network, float value) {
        Map<String, TensorData> state = new LinkedHashMap<>();
        network.parameters().forEach((name, p) -> state.put(name, constant(name, p.getArray().getShape().getShape(), value)));
        return state;
    }

    private static TensorData constant(String name, long[] shape, float value) {
        int n = (int) TensorData.numel(shape);
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(value);
        }
        b.flip();
        return new TensorData(name, "float32", shape, b);
    }

    @Test
    void completeStateDictLoadsAndIgnorableKeysAreIgnored() {
        try (Network network = Network.create(CONFIG)) {
            Map<String, TensorData> state = new LinkedHashMap<>();
            fullStateDict(network, 0.5f).forEach((k, v) -> state.put("module." + k, v));
            state.put("pretrained.bn1.num_batches_tracked", constant("n", new long[0], 3));
            state.put("pretrained.fc.weight", constant("fc", new long[] {10, 32}, 1));
            StateDictLoader.Report report = StateDictLoader.load(network, state, StateDictLoader.Scope.MODEL, true, "f");
            assertTrue(report.complete());
            assertEquals(network.parameters().size(), report.loaded());
            assertEquals(0.5f, network.parameters().get("head.sa.gamma").getArray().getFloat());
        }
    }

    @Test
    void missingUnexpectedAndMisshapenKeysAreNamedInOneError() {
        try (Network network = Network.create(CONFIG)) {
            Map<String, TensorData> state = fullStateDict(network, 1f);
            state.remove("head.sa.gamma");
            state.put("head.extra.weight", constant("x", new long[] {2}, 1));
            state.put("head.conv6.1.weight", constant("w", new long[] {5, 4, 1, 1}, 1));
            DanetException e = assertThrows(DanetException.class,
                    () -> StateDictLoader.load(network, state, StateDictLoader.Scope.MODEL, true, "ckpt.pth"));
            String m = e.getMessage();
            assertTrue(m.startsWith("ckpt.pth: "), m);
            assertTrue(m.contains("missing 1 key [head.sa.gamma]"), m);
            assertTrue(m.contains("unexpected 1 key [head.extra.weight]"), m);
            assertTrue(m.contains("head.conv6.1.weight (file [5, 4, 1, 1], model (3, 8, 1, 1))"), m);
            assertTrue(!m.contains("\n"), "one line");
        }
    }

    @Test
    void nonStrictLoadsWhatFitsAndReportsTheRest() {
        try (Network network = Network.create(CONFIG)) {
            Map<String, TensorData> state = fullStateDict(network, 2f);
            state.remove("head.sa.gamma");
            StateDictLoader.Report report = StateDictLoader.load(network, state, StateDictLoader.Scope.MODEL, false, "f");
            assertEquals(network.parameters().size() - 1, report.loaded());
            assertEquals(java.util.List.of("head.sa.gamma"), report.missing());
            assertEquals(0f, network.parameters().get("head.sa.gamma").getArray().getFloat(), "left as initialised");
            assertEquals(2f, network.parameters().get("head.sa.key_conv.bias").getArray().getFloat(0));
        }
    }

    @Test
    void backboneScopeLoadsTorchvisionKeysIntoTheBackboneOnly() {
        try (Network network = Network.create(CONFIG)) {
            Map<String, TensorData> state = new LinkedHashMap<>();
            fullStateDict(network, 3f).forEach((k, v) -> {
                if (k.startsWith("pretrained.")) {
                    state.put(k.substring("pretrained.".length()), v);
                }
            });
            StateDictLoader.Report report = StateDictLoader.load(network, state, StateDictLoader.Scope.BACKBONE, true, "f");
            assertTrue(report.complete());
            assertEquals(3f, network.parameters().get("pretrained.layer4.1.conv2.weight").getArray().getFloat(0, 0, 0, 0));
        }
    }
}
