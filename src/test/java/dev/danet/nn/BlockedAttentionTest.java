package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The row-blocked position attention is the plain one, in values and in gradients. */
class BlockedAttentionTest {

    private static final int CHANNELS = 16;
    // 7 x 9 = 63 positions: block sizes 2, 5, 8, 10, 62 do not divide it.
    private static final Shape INPUT = new Shape(2, CHANNELS, 7, 9);
    private static final int POSITIONS = 63;
    private static final int[] BLOCK_ROWS = {1, 2, 5, 8, 10, 21, 32, 62};
    private static final double TOLERANCE = 1e-12;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(11);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** A float64 PAM with weights large enough for peaked attention and gamma off 0. */
    private PositionAttention pam(NDManager m) {
        PositionAttention pam = new PositionAttention(CHANNELS);
        pam.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
        pam.initialize(m, DataType.FLOAT64, INPUT);
        for (Pair<String, Parameter> p : pam.getParameters()) {
            if (p.getKey().equals("gamma")) {
                p.getValue().getArray().addi(0.7);
            } else if (p.getKey().endsWith("bias")) {
                p.getValue().getArray().addi(m.randomNormal(p.getValue().getArray().getShape())
                        .toType(DataType.FLOAT64, false).mul(0.1));
            }
        }
        return pam;
    }

    private static double relativeError(NDArray actual, NDArray expected) {
        double diff = actual.sub(expected).norm().getDouble();
        double ref = expected.norm().getDouble();
        return diff / ref;
    }

    @Test
    void blockedOutputEqualsPlainOutput() {
        PositionAttention pam = pam(manager);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(INPUT).toType(DataType.FLOAT64, false);
        NDArray plain = pam.forward(ps, x, false, POSITIONS);
        assertTrue(relativeError(plain, x) > 0.1, "the PAM must change its input, or this test proves nothing");
        // The plain path is the reference formula: gamma * V S^T + x with S from attention().
        for (int rows : BLOCK_ROWS) {
            NDArray blocked = pam.forward(ps, x, false, rows);
            assertEquals(plain.getShape(), blocked.getShape());
            double error = relativeError(blocked, plain);
            assertTrue(error < TOLERANCE, rows + " rows per block: relative error " + error);
        }
    }

    @Test
    void attentionIsPeakedEnoughToMatter() {
        PositionAttention pam = pam(manager);
        NDArray x = manager.randomNormal(INPUT).toType(DataType.FLOAT64, false);
        NDArray s = pam.attention(new ParameterStore(manager, false), x, false);
        // Far from uniform (1/63): the largest weight of an average row is well above it.
        double meanMax = s.max(new int[] {2}).mean().getDouble();
        assertTrue(meanMax > 0.2, "mean row max " + meanMax);
    }

    /** Gradients of sum(out * r) w.r.t. x and every parameter, for the given rows per block. */
    private Map<String, double[]> gradients(int rows, NDArray x0, NDArray r) {
        Map<String, double[]> grads = new LinkedHashMap<>();
        try (NDManager m = manager.newSubManager()) {
            m.getEngine().setRandomSeed(5);
            PositionAttention pam = pam(m); // same seed: same weights on every call
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = x0.duplicate();
            x.attach(m);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = pam.forward(ps, x, true, rows);
                collector.backward(out.mul(r).sum());
            }
            grads.put("input", x.getGradient().toDoubleArray());
            for (Pair<String, Parameter> p : pam.getParameters()) {
                // DJL numbers child blocks: "01query_conv_weight" -> "query_conv_weight".
                grads.put(p.getKey().replaceFirst("^[0-9]+", ""), p.getValue().getArray().getGradient().toDoubleArray());
            }
        }
        return grads;
    }

    private static double relativeError(double[] actual, double[] expected) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            ref += expected[i] * expected[i];
        }
        return Math.sqrt(diff / ref);
    }

    @Test
    void blockedGradientsEqualPlainGradients() {
        NDArray x = manager.randomNormal(INPUT).toType(DataType.FLOAT64, false);
        NDArray r = manager.randomNormal(INPUT).toType(DataType.FLOAT64, false);
        Map<String, double[]> plain = gradients(POSITIONS, x, r);
        assertEquals(java.util.Set.of("input", "query_conv_weight", "query_conv_bias", "key_conv_weight",
                "key_conv_bias", "value_conv_weight", "value_conv_bias", "gamma"), plain.keySet());
        for (Map.Entry<String, double[]> e : plain.entrySet()) {
            double norm = 0;
            for (double g : e.getValue()) {
                norm += g * g;
            }
            // The key bias only shifts each row's energies by a constant: softmax ignores it.
            if (!e.getKey().equals("key_conv_bias")) {
                assertTrue(norm > 1e-6, "plain gradient of " + e.getKey() + " vanishes");
            }
        }
        for (int rows : new int[] {1, 8, 10, 62}) {
            Map<String, double[]> blocked = gradients(rows, x, r);
            for (Map.Entry<String, double[]> e : plain.entrySet()) {
                double[] expected = e.getValue();
                double[] actual = blocked.get(e.getKey());
                double scale = 0;
                for (double g : expected) {
                    scale = Math.max(scale, Math.abs(g));
                }
                if (scale < 1e-9) { // key bias: zero up to round-off in both
                    for (double g : actual) {
                        assertTrue(Math.abs(g) < 1e-9, rows + " rows: " + e.getKey() + " " + g);
                    }
                    continue;
                }
                double error = relativeError(actual, expected);
                assertTrue(error < TOLERANCE, rows + " rows per block: gradient of " + e.getKey()
                        + " relative error " + error);
            }
        }
    }

    @Test
    void attentionRowsAreTheMatchingRowsOfTheFullMap() {
        PositionAttention pam = pam(manager);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(INPUT).toType(DataType.FLOAT64, false);
        NDArray full = pam.attention(ps, x, false);
        int[] rows = {62, 0, 17, 17, 40};
        NDArray some = pam.attentionRows(ps, x, rows);
        assertEquals(new Shape(2, rows.length, POSITIONS), some.getShape());
        for (int i = 0; i < rows.length; i++) {
            NDArray expected = full.get(new NDIndex(":, {}, :", rows[i]));
            NDArray actual = some.get(new NDIndex(":, {}, :", i));
            assertTrue(relativeError(actual, expected) < TOLERANCE, "row " + rows[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> pam.attentionRows(ps, x, new int[] {POSITIONS}));
        assertThrows(IllegalArgumentException.class, () -> pam.attentionRows(ps, x, new int[] {-1}));
    }

    @Test
    void rowsPerBlockIsPlainWithinTheBudgetAndBlockedAboveIt() {
        long mb = 1L << 20;
        // 64x64 features, float32, B = 1: 4096^2 * 4 = 64 MB, within 256 MB: one block.
        assertEquals(4096, BlockedAttention.rowsPerBlock(1, 4096, 4, 256 * mb));
        // 128x128: 16384^2 * 4 = 1 GB > 256 MB: 4 blocks of 4096 rows (each 256 MB).
        assertEquals(4096, BlockedAttention.rowsPerBlock(1, 16384, 4, 256 * mb));
        // Exactly at the budget is still plain.
        assertEquals(8192, BlockedAttention.rowsPerBlock(1, 8192, 4, 256 * mb));
        // 1024x2048 input, N = 32768, B = 2, float64: a block is at most the budget, blocks even.
        int rows = BlockedAttention.rowsPerBlock(2, 32768, 8, 256 * mb);
        assertTrue(rows < 32768 && 2L * rows * 32768 * 8 <= 256 * mb, "rows " + rows);
        // A budget below one row still makes progress, one row at a time.
        assertEquals(1, BlockedAttention.rowsPerBlock(1, 16384, 4, 1000));
        // Uneven split: 100 positions, room for 30 rows -> 4 blocks of 25.
        assertEquals(25, BlockedAttention.rowsPerBlock(1, 100, 1, 3000));
        // No overflow for huge maps.
        assertTrue(BlockedAttention.rowsPerBlock(8, 1L << 22, 4, 256 * mb) >= 1);
    }

    @Test
    void theModuleSwitchesToBlocksAboveTheConfiguredBudget() {
        PositionAttention pam = pam(manager);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(INPUT).toType(DataType.FLOAT64, false);
        NDArray plain = pam.forward(ps, x, false, POSITIONS);
        long mapBytes = 2L * POSITIONS * POSITIONS * 8;
        assertEquals(ExecutionOptions.DEFAULT_ATTENTION_BLOCK_BYTES, ExecutionOptions.DEFAULTS.attentionBlockBytes());
        assertEquals(POSITIONS, BlockedAttention.rowsPerBlock(2, POSITIONS, 8,
                TorchBlock.options(ps).attentionBlockBytes()));

        ExecutionOptions blocked = ExecutionOptions.DEFAULTS.withAttentionBlockBytes(mapBytes / 5);
        int rows = BlockedAttention.rowsPerBlock(2, POSITIONS, 8, blocked.attentionBlockBytes());
        assertTrue(rows < POSITIONS && 2L * rows * POSITIONS * 8 <= mapBytes / 5, "rows " + rows);
        NDArray auto = pam.forward(blocked.newParameterStore(manager), new NDList(x), false).singletonOrThrow();
        assertTrue(relativeError(auto, plain) < TOLERANCE);
    }

    @Test
    void inferenceRunsLargeMapsInBlocksOf512RowsWithTheWholeMapsNumbers() {
        // 24 x 25 = 600 positions: a 5.8 MB map, well within the budget, yet two blocks in inference.
        Shape input = new Shape(1, CHANNELS, 24, 25);
        PositionAttention pam = pam(manager);
        NDArray x = manager.randomNormal(input).toType(DataType.FLOAT64, false);
        List<Long> firstRows = new ArrayList<>();
        pam.setTap(new AttentionTap() {
            @Override
            public void position(NDArray weights, long firstRow, NDArray queries, NDArray keys, long height,
                    long width) {
                firstRows.add(firstRow);
            }
        });
        ExecutionOptions whole = ExecutionOptions.DEFAULTS.withAttentionBlockBytes(ExecutionOptions.WHOLE_ATTENTION_MAP);
        NDArray plain = pam.forward(whole.newParameterStore(manager), new NDList(x), false).singletonOrThrow();
        assertEquals(List.of(0L), firstRows, "--pam-memory plain keeps the whole map");

        firstRows.clear();
        NDArray blocked = pam.forward(ExecutionOptions.DEFAULTS.newParameterStore(manager), new NDList(x), false)
                .singletonOrThrow();
        assertEquals(List.of(0L, (long) PositionAttention.INFERENCE_ROWS_PER_BLOCK), firstRows);
        assertTrue(relativeError(blocked, plain) < TOLERANCE);
        assertTrue(relativeError(plain, x) > 0.1, "the PAM must change its input, or this test proves nothing");
    }
}
