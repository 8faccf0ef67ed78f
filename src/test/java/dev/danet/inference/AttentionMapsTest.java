package dev.danet.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.DanetException;
import dev.danet.data.Normalization;
import dev.danet.data.RgbImage;
import dev.danet.nn.BilinearResize;
import dev.danet.nn.DanetHead;
import dev.danet.nn.HeadType;
import dev.danet.nn.Network;
import dev.danet.testing.TinyModels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The attention maps the pictures, the CLI and the server show are the model's own. */
class AttentionMapsTest {

    private static final int W = 80;
    private static final int H = 56;
    private static Network network;
    private static RgbImage photo;

    @BeforeAll
    static void setUp() {
        network = TinyModels.create(HeadType.DANET);
        byte[] rgb = new byte[3 * W * H];
        new Random(7).nextBytes(rgb);
        photo = new RgbImage(W, H, rgb);
    }

    @AfterAll
    static void tearDown() {
        network.close();
    }

    @Test
    void everyPamRowIsADistributionSummingToOneBeforeColouring() {
        AttentionFeatures f = AttentionFeatures.compute(network, photo, 512);
        assertEquals(W * H / 64, f.cells(), "stride 8 feature grid");
        for (int cell = 0; cell < f.cells(); cell += 7) {
            float[] row = f.positionAttentionRow(network, cell);
            assertEquals(f.cells(), row.length);
            double sum = 0;
            for (float v : row) {
                assertTrue(v >= 0, "weights are non-negative");
                sum += v;
            }
            assertEquals(1.0, sum, 1e-5, "row " + cell);
        }
    }

    @Test
    void theMapForAPointIsTheRowOfTheFullMapComputedDirectlyFromTheModel() {
        int maxSide = 48; // the image is resized for the attention pass: the direct path does the same
        AttentionFeatures f = AttentionFeatures.compute(network, photo, maxSide);
        try (NDManager m = network.manager().newSubManager()) {
            NDArray x = m.create(Normalization.toChw(photo), new Shape(1, 3, H, W));
            x = BilinearResize.alignCorners(x, Math.round(H * 48.0 / W), 48);
            NDList levels = network.baseModel().backbone().forward(network.parameterStore(), new NDList(x), false);
            DanetHead head = (DanetHead) network.baseModel().head();
            NDArray full = head.positionAttentionMap(network.parameterStore(), levels.get(3)); // (1, N, N)
            assertEquals(new Shape(1, f.cells(), f.cells()), full.getShape());
            int[][] points = {{0, 0}, {W - 1, H - 1}, {40, 10}, {13, 50}};
            for (int[] p : points) {
                int cell = f.cellAt(p[0], p[1]);
                float[] direct = full.get(new NDIndex(0, cell)).toType(DataType.FLOAT32, false).toFloatArray();
                assertArrayEquals(direct, f.positionAttentionRow(network, cell), 1e-6f, "point " + p[0] + "," + p[1]);
            }
            // And the CAM maps are the module's output channels.
            NDArray cam = head.channelAttentionOutput(network.parameterStore(), levels.get(3));
            float[] channel5 = cam.get(new NDIndex(0, 5)).toType(DataType.FLOAT32, false).toFloatArray();
            assertArrayEquals(channel5, f.channelMap(5), 1e-6f);
        }
    }

    @Test
    void differentPointsDrawFromDifferentPlaces() {
        AttentionFeatures f = AttentionFeatures.compute(network, photo, 512);
        float[] a = f.positionAttentionRow(network, f.cellAt(2, 2));
        float[] b = f.positionAttentionRow(network, f.cellAt(W - 3, H - 3));
        double difference = 0;
        for (int i = 0; i < a.length; i++) {
            difference += Math.abs(a[i] - b[i]);
        }
        assertTrue(difference > 1e-3, "rows differ: " + difference);
    }

    @Test
    void pixelsMapToTheNearestFeatureCellAsAlignCornersPlacesThem() {
        AttentionFeatures f = AttentionFeatures.compute(network, photo, 512); // grid 10 x 7
        assertEquals(10, f.width());
        assertEquals(7, f.height());
        assertEquals(0, f.cellAt(0, 0));
        assertEquals(f.cells() - 1, f.cellAt(W - 1, H - 1));
        assertEquals(9, f.cellAt(W - 1, 0));
        for (int cell = 0; cell < f.cells(); cell++) {
            int[] p = f.pixelOf(cell);
            assertEquals(cell, f.cellAt(p[0], p[1]), "cell centre maps back");
        }
        assertThrows(DanetException.class, () -> f.cellAt(W, 0));
    }

    @Test
    void camRankingFindsTheChannelThatSeparatesAClass() {
        // 4 x 4 grid, 3 channels: channel 2 is high exactly where class 1 is; channel 0 is noise.
        int cells = 16;
        int[] labels = new int[cells];
        float[] maps = new float[3 * cells];
        Random random = new Random(3);
        for (int i = 0; i < cells; i++) {
            labels[i] = i % 4 < 2 ? 0 : 1;
            maps[i] = 0.4f * random.nextFloat();
            maps[cells + i] = 0.5f;
            maps[2 * cells + i] = labels[i] == 1 ? 3f : 0.1f;
        }
        AttentionFeatures f = new AttentionFeatures(4, 4, 4, 4, 0, null, 3, maps);
        List<CamChannels.Pick> picks = CamChannels.byClass(f, labels, 2);
        assertEquals(2, picks.size());
        CamChannels.Pick forClass1 = picks.stream().filter(p -> p.label() == 1).findFirst().orElseThrow();
        assertEquals(2, forClass1.channel());
        assertEquals(2, CamChannels.strongestAt(f, 3, 1).get(0).channel()); // cell 3 is class 1
        assertEquals(1, CamChannels.strongestAt(f, 0, 1).get(0).channel()); // 0.5 beats 0.1 and the noise (< 0.4)
    }
}
