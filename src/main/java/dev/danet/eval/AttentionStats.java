package dev.danet.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.DanetException;
import dev.danet.data.LabeledImage;
import dev.danet.data.Normalization;
import dev.danet.data.SegmentationDataset;
import dev.danet.nn.BilinearResize;
import dev.danet.nn.DanetHead;
import dev.danet.nn.GradMode;
import dev.danet.nn.Network;
import java.util.Arrays;

/**
 * Measures a trained model's position attention on labelled images ({@code ./danet
 * attention-stats}): each image is run whole (shrunk so that its long side is at most maxSide,
 * as the attention pictures are), the rows of a grid of query cells are computed from PAM's input
 * without forming the whole map, and each row is measured against the ground truth at the feature
 * grid (see {@link AttentionRowStats}).
 */
public final class AttentionStats {

    /** Query rows computed per call, to bound the transient memory on large grids. */
    static final int ROWS_PER_CALL = 256;

    /**
     * What was measured and how.
     *
     * @param images images measured
     * @param gridWidth feature columns of the first image
     * @param gridHeight feature rows of the first image
     * @param queriesPerImage query cells per image on the first image's grid (those with an ignore
     *        label are then skipped)
     * @param step the query grid's step in cells
     * @param summary the measurements
     */
    public record Result(int images, int gridWidth, int gridHeight, int queriesPerImage, int step,
            AttentionRowStats.Summary summary) {}

    private AttentionStats() {}

    /** Measures the first {@code images} images of the dataset (all when larger than its size). */
    public static Result measure(Network network, Normalization normalization, SegmentationDataset dataset,
            int images, int step, int maxSide) {
        if (!(network.baseModel().head() instanceof DanetHead head) || head.positionAttention() == null) {
            throw new DanetException("the model has a " + network.config().head().id()
                    + " head, which has no position attention to measure; use a danet or pam model");
        }
        if (images < 1 || step < 1 || maxSide < 16) {
            throw new IllegalArgumentException("images and step must be positive and the side at least 16");
        }
        AttentionRowStats stats = new AttentionRowStats(dataset.classes().names());
        int count = Math.min(images, dataset.size());
        int[] first = null;
        for (int i = 0; i < count; i++) {
            int[] grid = add(stats, network, head, normalization, dataset.load(i), step, maxSide);
            first = first == null ? grid : first;
        }
        if (first == null) {
            throw new DanetException(dataset.root() + ": the " + dataset.split() + " split has no images to measure");
        }
        return new Result(count, first[0], first[1], first[2], step, stats.summary());
    }

    /** Adds one image's query rows; returns {grid width, grid height, queries}. */
    static int[] add(AttentionRowStats stats, Network network, DanetHead head, Normalization normalization,
            LabeledImage sample, int step, int maxSide) {
        int w = sample.image().width();
        int h = sample.image().height();
        double shrink = Math.min(1.0, (double) maxSide / Math.max(w, h));
        long runW = Math.max(1, Math.round(w * shrink));
        long runH = Math.max(1, Math.round(h * shrink));
        try (GradMode.Off noGraph = GradMode.off(); NDManager scope = network.manager().newSubManager()) {
            NDArray x = scope.create(normalization.chw(sample.image()), new Shape(1, 3, h, w))
                    .toType(network.dataType(), false);
            if (runW != w || runH != h) {
                x = BilinearResize.alignCorners(x, runH, runW);
            }
            NDList levels = network.baseModel().backbone().forward(network.parameterStore(), new NDList(x), false);
            NDArray pamInput = head.positionAttentionInput(network.parameterStore(), levels.get(3));
            int gridH = (int) pamInput.getShape().get(2);
            int gridW = (int) pamInput.getShape().get(3);
            int[] labels = AttentionRowStats.labelsAtGrid(sample.label().values(), w, h, gridW, gridH);
            int[] queries = AttentionRowStats.queryGrid(gridW, gridH, step);
            int n = gridW * gridH;
            float[] rows = new float[queries.length * n];
            for (int start = 0; start < queries.length; start += ROWS_PER_CALL) {
                int[] part = Arrays.copyOfRange(queries, start, Math.min(queries.length, start + ROWS_PER_CALL));
                float[] some = head.positionAttention().attentionRows(network.parameterStore(), pamInput, part)
                        .toType(DataType.FLOAT32, false).toFloatArray();
                System.arraycopy(some, 0, rows, start * n, some.length);
            }
            stats.addImage(rows, queries, labels);
            return new int[] {gridW, gridH, queries.length};
        }
    }
}
