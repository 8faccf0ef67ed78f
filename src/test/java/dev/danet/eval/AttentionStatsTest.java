package dev.danet.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.danet.data.BadSamples;
import dev.danet.data.LabeledImage;
import dev.danet.data.Normalization;
import dev.danet.data.SegmentationDataset;
import dev.danet.nn.DanetHead;
import dev.danet.nn.HeadType;
import dev.danet.nn.Network;
import dev.danet.testing.TinyDatasets;
import dev.danet.testing.TinyModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** attention-stats on a tiny model whose attention is set by hand, so the answer is known. */
class AttentionStatsTest {

    @TempDir
    Path dir;

    @Test
    void withQueriesZeroEveryRowIsUniformAndPutsExactlyChanceOnItsClass() {
        SegmentationDataset val = SegmentationDataset.open("folder", TinyDatasets.folder(dir, 1, 4, 48), "val",
                BadSamples.failFast());
        try (Network network = TinyModels.create(HeadType.DANET)) {
            // Energies Q K = 0 for every pair: softmax rows are uniform, whatever the keys.
            network.parameters().get("head.sa.query_conv.weight").getArray().muli(0);
            network.parameters().get("head.sa.query_conv.bias").getArray().muli(0);
            AttentionStats.Result r = AttentionStats.measure(network, Normalization.IMAGENET, val, 10, 1, 512);
            AttentionRowStats.Summary s = r.summary();
            assertEquals(4, r.images());
            assertEquals(6, r.gridWidth());
            assertEquals(6, r.gridHeight());
            assertEquals(36, r.queriesPerImage());
            assertEquals(4 * 36, s.rows(), "every cell of every image, none ignored");
            assertEquals(36, s.cells());
            assertEquals(s.chance().mean(), s.sameClassMass().mean(), 1e-6);
            assertTrue(s.chance().mean() > 0.2 && s.chance().mean() < 0.7, "three classes: " + s.chance().mean());
            assertEquals(1, s.relativeEntropy().mean(), 1e-6);
            assertEquals(1 / 36.0, s.maxWeight().mean(), 1e-7);
            assertEquals(1 / 36.0, s.selfWeight().p90(), 1e-7);
            assertEquals(1, s.sharedWithMean().mean(), 1e-6, "every row is the same uniform row");
            assertEquals(3, s.perClass().size());
        }
    }

    @Test
    void withOneHotRowsTheSameClassMassIsTheShareOfQueriesThatShareTheChosenCellsClass() {
        SegmentationDataset val = SegmentationDataset.open("folder", TinyDatasets.folder(dir, 1, 3, 48), "val",
                BadSamples.failFast());
        try (Network network = TinyModels.create(HeadType.DANET)) {
            // One query channel (width 4): q = b, a large constant, so energy_qj = b k_j and every
            // row puts all its weight on the cell with the largest key.
            network.parameters().get("head.sa.query_conv.weight").getArray().muli(0);
            NDArray bias = network.parameters().get("head.sa.query_conv.bias").getArray();
            assertEquals(new Shape(1), bias.getShape(), "the tiny model has one query channel");
            bias.muli(0).addi(1e6f);
            int step = 2;
            double expectedMass = 0;
            int rows = 0;
            for (int i = 0; i < val.size(); i++) {
                LabeledImage sample = val.load(i);
                int chosen = chosenCell(network, sample);
                int[] labels = AttentionRowStats.labelsAtGrid(sample.label().values(), 48, 48, 6, 6);
                for (int q : AttentionRowStats.queryGrid(6, 6, step)) {
                    expectedMass += labels[q] == labels[chosen] ? 1 : 0;
                    rows++;
                }
            }
            AttentionStats.Result r = AttentionStats.measure(network, Normalization.IMAGENET, val, 3, step, 512);
            AttentionRowStats.Summary s = r.summary();
            assertEquals(rows, s.rows());
            assertEquals(9, r.queriesPerImage());
            assertEquals(expectedMass / rows, s.sameClassMass().mean(), 1e-6);
            assertEquals(1, s.maxWeight().mean(), 1e-6);
            assertEquals(0, s.relativeEntropy().mean(), 1e-4);
            assertEquals(1, s.oneHot(), 0);
            assertEquals(1, s.sharedWithMean().mean(), 1e-5, "every row on the same cell");
        }
    }

    /** The cell row 0 of the full PAM map puts its largest weight on (the map is formed whole here). */
    private static int chosenCell(Network network, LabeledImage sample) {
        try (NDManager scope = network.manager().newSubManager()) {
            NDArray x = scope.create(Normalization.IMAGENET.chw(sample.image()), new Shape(1, 3, 48, 48));
            NDList levels = network.baseModel().backbone().forward(network.parameterStore(), new NDList(x), false);
            NDArray map = ((DanetHead) network.baseModel().head()).positionAttentionMap(network.parameterStore(),
                    levels.get(3));
            return (int) map.get(0).get(0).argMax().getLong();
        }
    }
}
