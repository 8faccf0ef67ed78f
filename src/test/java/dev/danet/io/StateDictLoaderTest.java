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

    /** One tensor's elements stored as dtype: raw little-endian bytes of the given values. */
    private static TensorData stored(String name, String dtype, long[] shape, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * TensorData.elementSize(dtype)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (dtype) {
                case "float64" -> b.putDouble(v);
                case "float32" -> b.putFloat((float) v);
                case "float16" -> b.putShort(half((float) v));
                case "bfloat16" -> b.putShort((short) (Float.floatToIntBits((float) v) >>> 16));
                case "int64" -> b.putLong((long) v);
                case "int32" -> b.putInt((int) v);
                case "int16" -> b.putShort((short) v);
                case "int8", "uint8", "bool" -> b.put((byte) v);
                default -> throw new IllegalArgumentException(dtype);
            }
        }
        b.flip();
        return new TensorData(name, dtype, shape, b);
    }

    /** The float16 bits of a value that float16 holds exactly (zero or normal). */
    private static short half(float v) {
        int bits = Float.floatToIntBits(v);
        if ((bits & 0x7fffffff) == 0) {
            return (short) (bits >>> 16);
        }
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        return (short) (((bits >>> 16) & 0x8000) | (exponent << 10) | ((bits & 0x7fffff) >>> 13));
    }

    @Test
    void everyStoredTypeLoadsAsItsValueInTheModelsType() {
        try (Network network = Network.create(CONFIG)) {
            String key = "head.conv6.1.weight"; // (3, 8, 1, 1)
            long[] shape = network.parameters().get(key).getArray().getShape().getShape();
            double[] values = new double[24];
            for (int i = 0; i < values.length; i++) {
                values[i] = (i - 11) * 0.25; // exact in every floating-point type
            }
            for (String dtype : new String[] {"float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8",
                    "uint8", "bool"}) {
                double[] stored = values.clone();
                if (!dtype.startsWith("float") && !dtype.equals("bfloat16")) {
                    for (int i = 0; i < stored.length; i++) {
                        stored[i] = dtype.equals("bool") ? i % 2 : dtype.equals("uint8") ? i * 10 : Math.rint(stored[i] * 7);
                    }
                }
                Map<String, TensorData> state = fullStateDict(network, 1f);
                TensorData tensor = stored(key, dtype, shape, stored);
                state.put(key, tensor);
                StateDictLoader.load(network, state, StateDictLoader.Scope.MODEL, true, "f");
                org.junit.jupiter.api.Assertions.assertArrayEquals(tensor.toFloats(),
                        network.parameters().get(key).getArray().toFloatArray(), dtype);
            }
        }
    }

    @Test
    void float64WeightsLoadIntoAFloat64ModelWithEveryDigit() {
        try (Network network = Network.create(CONFIG, null, ai.djl.ndarray.types.DataType.FLOAT64)) {
            String key = "head.sa.gamma";
            long[] shape = network.parameters().get(key).getArray().getShape().getShape();
            Map<String, TensorData> state = fullStateDict(network, 1f);
            state.put(key, stored(key, "float64", shape, new double[] {0.1}));
            StateDictLoader.load(network, state, StateDictLoader.Scope.MODEL, true, "f");
            // As PyTorch's load_state_dict copies it; the value used to pass through a float first.
            assertEquals(0.1, network.parameters().get(key).getArray().getDouble(0));
        }
    }

    @Test
    void nonFiniteValuesAreReportedAsTheModelHoldsThem() {
        try (Network network = Network.create(CONFIG)) {
            Map<String, TensorData> state = fullStateDict(network, 1f);
            long[] gamma = network.parameters().get("head.sa.gamma").getArray().getShape().getShape();
            state.put("head.sa.gamma", stored("g", "float64", gamma, new double[] {1e300})); // inf as a float
            state.put("head.conv6.1.bias", stored("b", "float32", new long[] {3}, new double[] {0, Double.NaN, 0}));
            StateDictLoader.Report report = StateDictLoader.load(network, state, StateDictLoader.Scope.MODEL, true, "f");
            assertEquals(java.util.List.of("head.conv6.1.bias", "head.sa.gamma"),
                    report.nonFinite().stream().sorted().toList());
        }
    }
}
