package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tap sees exactly the attention maps the modules use, plain or in row blocks, and changes nothing. */
class AttentionTapTest {

    private static final int CHANNELS = 16;
    private static final Shape INPUT = new Shape(2, CHANNELS, 5, 7);
    private static final int POSITIONS = 35;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(3);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private PositionAttention pam() {
        PositionAttention pam = new PositionAttention(CHANNELS);
        pam.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
        pam.initialize(manager, DataType.FLOAT64, INPUT);
        for (Pair<String, Parameter> p : pam.getParameters()) {
            if (p.getKey().equals("gamma")) {
                p.getValue().getArray().addi(0.5);
            }
        }
        return pam;
    }

    /** Collects every row block the tap is shown, in the order shown. */
    private static final class Recorder implements AttentionTap {
        final List<double[]> blocks = new ArrayList<>();
        final List<Long> firstRows = new ArrayList<>();
        final List<long[]> grids = new ArrayList<>();
        double[] channelMap;
        boolean recorded;

        @Override
        public void position(NDArray weights, long firstRow, NDArray queries, NDArray keys, long height, long width) {
            blocks.add(weights.toDoubleArray());
            firstRows.add(firstRow);
            grids.add(new long[] {height, width, queries.getShape().get(1), keys.getShape().get(2)});
            recorded |= weights.hasGradient();
        }

        @Override
        public void channel(NDArray weights) {
            channelMap = weights.toDoubleArray();
        }
    }

    @Test
    void thePositionTapSeesTheMapInPlainAndBlockedPassesAndTheOutputIsUnchanged() {
        PositionAttention pam = pam();
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(INPUT).toType(DataType.FLOAT64, false);
        double[] map = pam.attention(ps, x, false).toDoubleArray();
        double[] untapped = pam.forward(ps, x, false, POSITIONS).toDoubleArray();
        for (int rows : new int[] {POSITIONS, 8}) {
            Recorder recorder = new Recorder();
            pam.setTap(recorder);
            double[] tapped = pam.forward(ps, x, false, rows).toDoubleArray();
            pam.setTap(null);
            assertArrayEquals(untapped, tapped, 1e-12, rows + " rows per block");
            int expectedBlocks = (POSITIONS + rows - 1) / rows;
            assertEquals(expectedBlocks, recorder.blocks.size());
            for (int b = 0; b < expectedBlocks; b++) {
                long first = recorder.firstRows.get(b);
                assertEquals((long) b * rows, first);
                assertArrayEquals(new long[] {5, 7, POSITIONS, POSITIONS}, recorder.grids.get(b));
                double[] block = recorder.blocks.get(b);
                int blockRows = block.length / (2 * POSITIONS);
                for (int image = 0; image < 2; image++) {
                    for (int r = 0; r < blockRows; r++) {
                        for (int j = 0; j < POSITIONS; j++) {
                            assertEquals(map[(image * POSITIONS + (int) first + r) * POSITIONS + j],
                                    block[(image * blockRows + r) * POSITIONS + j], 1e-15);
                        }
                    }
                }
            }
        }
    }

    @Test
    void inTrainingTheTapSeesDetachedWeightsAndTheGradientsAreUnchanged() {
        PositionAttention pam = pam();
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(INPUT).toType(DataType.FLOAT64, false);
        List<double[]> gradients = new ArrayList<>();
        Recorder recorder = new Recorder();
        for (AttentionTap tap : new AttentionTap[] {null, recorder}) {
            pam.setTap(tap);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(pam.forward(ps, x, true, POSITIONS).square().sum());
            }
            for (Pair<String, Parameter> p : pam.getParameters()) {
                if (p.getKey().contains("query")) {
                    gradients.add(p.getValue().getArray().getGradient().toDoubleArray());
                    p.getValue().getArray().getGradient().muli(0);
                }
            }
        }
        pam.setTap(null);
        assertEquals(1, recorder.blocks.size());
        assertTrue(!recorder.recorded, "the tap's weights are detached");
        assertTrue(java.util.Arrays.stream(gradients.get(0)).anyMatch(g -> g != 0), "gamma is 0.5: queries learn");
        assertArrayEquals(gradients.get(0), gradients.get(2));
        assertArrayEquals(gradients.get(1), gradients.get(3));
    }

    @Test
    void theChannelTapSeesCamsMap() {
        ChannelAttention cam = new ChannelAttention();
        cam.initialize(manager, DataType.FLOAT64, INPUT);
        NDArray x = manager.randomNormal(INPUT).toType(DataType.FLOAT64, false);
        Recorder recorder = new Recorder();
        cam.setTap(recorder);
        cam.forward(new ParameterStore(manager, false), new ai.djl.ndarray.NDList(x), false);
        cam.setTap(null);
        double[] expected = ChannelAttention.attention(x.reshape(2, CHANNELS, POSITIONS)).toDoubleArray();
        assertArrayEquals(expected, recorder.channelMap, 0);
    }
}
