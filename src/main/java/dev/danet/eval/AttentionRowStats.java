package dev.danet.eval;

import dev.danet.data.ClassSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What rows of a position-attention map mean, measured against the ground truth. For a query
 * cell q of class y_q, its row S_q (weights over the N cells of the feature grid, summing to 1):
 *
 * <ul>
 *   <li>same-class mass: sum of S_qj over the cells j labelled y_q (the query's own cell
 *       included); the paper's figure shows rows spread over the query's own class;
 *   <li>chance: the share of the N cells labelled y_q, which a uniform row would put there;
 *   <li>entropy: -sum S_qj ln S_qj in nats, and relative to ln N (1: uniform, 0: one cell);
 *   <li>largest weight of the row, and the weight on the query's own cell;
 *   <li>overlap with the mean row (rows added per image, {@link #addImage}): sum over j of
 *       min(S_qj, mean over the image's queries of S_.j); 1 when every query draws from the same
 *       cells (attention that ignores the query), near 0 when each draws from its own;
 *   <li>per query class, the mass on the cells of every class against that class's share of the
 *       cells: which classes a class draws from, beyond its own (a cue's class, say).
 * </ul>
 *
 * Queries whose label is the ignore label are skipped; cells labelled ignore count among the N
 * but never as the query's class. Labels come at the feature grid (see {@link #labelsAtGrid}).
 */
public final class AttentionRowStats {

    /** A row is called one-hot when its largest weight is at least this. */
    public static final double ONE_HOT = 0.9;

    /** Mean, standard deviation and the 10th, 50th and 90th percentiles of a quantity over rows. */
    public record Spread(double mean, double std, double p10, double median, double p90) {

        static Spread of(double[] values) {
            if (values.length == 0) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            double mean = sum / values.length;
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            return new Spread(mean, Math.sqrt(squares / values.length), quantile(sorted, 0.1), quantile(sorted, 0.5),
                    quantile(sorted, 0.9));
        }

        /** Linear interpolation between order statistics (numpy's default). */
        private static double quantile(double[] sorted, double q) {
            double position = q * (sorted.length - 1);
            int below = (int) Math.floor(position);
            int above = Math.min(sorted.length - 1, below + 1);
            return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
        }
    }

    /**
     * Means over the rows whose query has one class.
     *
     * @param targets for every class with cells in those rows' images (so every share is above
     *                0), the mean weight on its cells and its mean share of the cells, in class order
     */
    public record ClassRows(int label, String name, int rows, double sameClassMass, double chance,
            List<TargetClass> targets) {

        /** The target drawn from most above its share (mass / share), other than the query's own class; null if none. */
        public TargetClass mostOverChance() {
            TargetClass best = null;
            for (TargetClass t : targets) {
                if (t.label() != label && (best == null || t.ratio() > best.ratio())) {
                    best = t;
                }
            }
            return best;
        }
    }

    /** Mean weight a query class's rows put on the cells of one class, and that class's mean share of the cells. */
    public record TargetClass(int label, String name, double mass, double share) {

        /** Mass over share: 1 for a uniform row. */
        public double ratio() {
            return mass / share;
        }
    }

    /**
     * The measurements over every row added.
     *
     * @param rows rows measured
     * @param cells cells per row (N) of the last row added; rows of other lengths may be mixed in
     * @param sameClassMass weight on cells of the query's class
     * @param chance share of cells of the query's class
     * @param excess same-class mass minus chance, per row
     * @param entropy row entropy in nats
     * @param relativeEntropy entropy / ln N
     * @param maxWeight largest weight of the row
     * @param selfWeight weight on the query's own cell
     * @param sharedWithMean overlap with the mean row of the row's image (NaN when no rows were added per image)
     * @param aboveChance share of rows whose same-class mass exceeds their chance level
     * @param oneHot share of rows whose largest weight is at least {@link #ONE_HOT}
     * @param perClass per query class, the classes present in order of their index
     */
    public record Summary(int rows, int cells, Spread sameClassMass, Spread chance, Spread excess, Spread entropy,
            Spread relativeEntropy, Spread maxWeight, Spread selfWeight, Spread sharedWithMean, double aboveChance,
            double oneHot,
            List<ClassRows> perClass) {}

    private final List<String> classNames;
    private final Column mass = new Column();
    private final Column chance = new Column();
    private final Column entropy = new Column();
    private final Column relativeEntropy = new Column();
    private final Column max = new Column();
    private final Column self = new Column();
    private final Column shared = new Column();
    private final double[] classMass;
    private final double[] classChance;
    private final int[] classRows;
    /** [query class][target class]: summed weight on the target's cells, and summed share of its cells. */
    private final double[][] targetMass;
    private final double[][] targetShare;
    private int cells;

    /** An empty accumulator for labels 0..classNames.size()-1 (others are treated as ignore). */
    public AttentionRowStats(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
        classMass = new double[classNames.size()];
        classChance = new double[classNames.size()];
        classRows = new int[classNames.size()];
        targetMass = new double[classNames.size()][classNames.size()];
        targetShare = new double[classNames.size()][classNames.size()];
    }

    /**
     * The label each cell of a gridWidth x gridHeight feature grid stands for: the label of the
     * pixel the cell sits on, cell (i, j) at pixel (j (W-1)/(w-1), i (H-1)/(h-1)) rounded, the
     * placement the models' align_corners upsampling gives it (as the attention pictures use).
     */
    public static int[] labelsAtGrid(int[] pixelLabels, int width, int height, int gridWidth, int gridHeight) {
        if (pixelLabels.length != width * height) {
            throw new IllegalArgumentException(pixelLabels.length + " labels for a " + width + "x" + height + " image");
        }
        int[] out = new int[gridWidth * gridHeight];
        for (int i = 0; i < gridHeight; i++) {
            int y = place(i, gridHeight, height);
            for (int j = 0; j < gridWidth; j++) {
                out[i * gridWidth + j] = pixelLabels[y * width + place(j, gridWidth, width)];
            }
        }
        return out;
    }

    /**
     * Query cells on a grid: every step-th cell along each axis, starting step/2 cells in, so that
     * the grid sits centred (row-major cell indices).
     */
    public static int[] queryGrid(int gridWidth, int gridHeight, int step) {
        if (step < 1) {
            throw new IllegalArgumentException("the query grid's step must be at least 1, got " + step);
        }
        List<Integer> cells = new ArrayList<>();
        for (int i = Math.min(step / 2, gridHeight - 1); i < gridHeight; i += step) {
            for (int j = Math.min(step / 2, gridWidth - 1); j < gridWidth; j += step) {
                cells.add(i * gridWidth + j);
            }
        }
        return cells.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Measures one row: weights[offset .. offset + cellLabels.length) is the row of query cell
     * queryCell over cells labelled cellLabels. Returns false (and measures nothing) when the
     * query's label is ignore or outside the classes.
     */
    public boolean add(float[] weights, int offset, int queryCell, int[] cellLabels) {
        return add(weights, offset, queryCell, cellLabels, null);
    }

    /**
     * Measures the rows of one image's queries: rows holds queryCells.length rows of
     * cellLabels.length weights one after the other. Also measures each row's overlap with the
     * mean of these rows. Returns the number of rows measured (queries labelled ignore are
     * skipped, but their rows count in the mean).
     */
    public int addImage(float[] rows, int[] queryCells, int[] cellLabels) {
        int n = cellLabels.length;
        if (rows.length < (long) queryCells.length * n) {
            throw new IllegalArgumentException(queryCells.length + " rows of " + n + " do not fit " + rows.length
                    + " weights");
        }
        double[] mean = new double[n];
        for (int r = 0; r < queryCells.length; r++) {
            for (int j = 0; j < n; j++) {
                mean[j] += rows[r * n + j];
            }
        }
        for (int j = 0; j < n; j++) {
            mean[j] /= queryCells.length;
        }
        int measured = 0;
        for (int r = 0; r < queryCells.length; r++) {
            measured += add(rows, r * n, queryCells[r], cellLabels, mean) ? 1 : 0;
        }
        return measured;
    }

    private boolean add(float[] weights, int offset, int queryCell, int[] cellLabels, double[] meanRow) {
        int n = cellLabels.length;
        if (queryCell < 0 || queryCell >= n || offset < 0 || offset + n > weights.length) {
            throw new IllegalArgumentException("row of " + n + " cells at " + offset + " (query " + queryCell
                    + ") does not fit " + weights.length + " weights");
        }
        int label = cellLabels[queryCell];
        if (label < 0 || label >= classNames.size() || label == ClassSet.IGNORE) {
            return false;
        }
        double same = 0;
        int sameCells = 0;
        double h = 0;
        double largest = 0;
        double overlap = 0;
        for (int j = 0; j < n; j++) {
            double p = weights[offset + j];
            if (meanRow != null) {
                overlap += Math.min(p, meanRow[j]);
            }
            if (cellLabels[j] == label) {
                same += p;
                sameCells++;
            }
            int target = cellLabels[j];
            if (target >= 0 && target < classNames.size()) {
                targetMass[label][target] += p;
                targetShare[label][target] += 1.0 / n;
            }
            if (p > 0) {
                h -= p * Math.log(p);
            }
            largest = Math.max(largest, p);
        }
        double share = (double) sameCells / n;
        mass.add(same);
        chance.add(share);
        entropy.add(h);
        relativeEntropy.add(n > 1 ? h / Math.log(n) : 0);
        max.add(largest);
        self.add(weights[offset + queryCell]);
        if (meanRow != null) {
            shared.add(overlap);
        }
        classMass[label] += same;
        classChance[label] += share;
        classRows[label]++;
        cells = n;
        return true;
    }

    /** Rows measured so far. */
    public int rows() {
        return mass.size;
    }

    public Summary summary() {
        double[] m = mass.values();
        double[] c = chance.values();
        double[] excess = new double[m.length];
        int above = 0;
        double[] largest = max.values();
        int oneHot = 0;
        for (int i = 0; i < m.length; i++) {
            excess[i] = m[i] - c[i];
            above += m[i] > c[i] ? 1 : 0;
            oneHot += largest[i] >= ONE_HOT ? 1 : 0;
        }
        List<ClassRows> perClass = new ArrayList<>();
        for (int k = 0; k < classRows.length; k++) {
            if (classRows[k] > 0) {
                List<TargetClass> targets = new ArrayList<>();
                for (int t = 0; t < classNames.size(); t++) {
                    if (targetShare[k][t] > 0) {
                        targets.add(new TargetClass(t, classNames.get(t), targetMass[k][t] / classRows[k],
                                targetShare[k][t] / classRows[k]));
                    }
                }
                perClass.add(new ClassRows(k, classNames.get(k), classRows[k], classMass[k] / classRows[k],
                        classChance[k] / classRows[k], List.copyOf(targets)));
            }
        }
        int rows = m.length;
        return new Summary(rows, cells, Spread.of(m), Spread.of(c), Spread.of(excess), Spread.of(entropy.values()),
                Spread.of(relativeEntropy.values()), Spread.of(largest), Spread.of(self.values()),
                Spread.of(shared.values()),
                rows == 0 ? Double.NaN : (double) above / rows, rows == 0 ? Double.NaN : (double) oneHot / rows,
                perClass);
    }

    private static int place(int cell, int cellsAlong, int pixels) {
        if (pixels <= 1 || cellsAlong <= 1) {
            return 0;
        }
        return (int) Math.round((double) cell * (pixels - 1) / (cellsAlong - 1));
    }

    /** A growable column of doubles. */
    private static final class Column {
        private double[] data = new double[256];
        private int size;

        void add(double v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        double[] values() {
            return Arrays.copyOf(data, size);
        }
    }
}
