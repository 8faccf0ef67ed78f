package dev.danet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.data.Batch;
import dev.danet.eval.AttentionRowStats;
import dev.danet.nn.AttentionTap;
import dev.danet.nn.DanetHead;
import dev.danet.nn.Network;
import dev.danet.nn.SegmentationOutputs;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the training log records besides the loss, to see why a run trains as it does: every
 * {@link TrainConfig#diagnosticsEvery()} iterations (and at the first), and at every gradient
 * spike, a line with each output's loss by name, the learning rates, the gradient norm before
 * clipping and the clip factor, the gradient and weight L2 norm of each module, the attention
 * scalars (PAM's gamma, CAM's beta), and, on scheduled lines, how the attention rows of that
 * step's batch look: for PAM, over a grid of query cells (every {@link #QUERY_STEP}-th cell along
 * each axis) the same measures as {@code ./danet attention-stats} against the batch's labels
 * (same-class mass and its chance level, relative entropy, largest weight, weight on the query's
 * own cell, overlap with the image's mean row), the spread of the energies Q K along a row and the mean query and key norms; for
 * CAM, the largest weight and relative entropy of its rows.
 *
 * <p>Cost: the per-parameter gradient norms come from the optimiser's clip computation, the
 * attention measures from the step's own forward pass; a scheduled line costs a median 23 ms
 * on the demo's recipe, 4% of its step (measured; each line records its own cost in "seconds").
 */
final class TrainingDiagnostics implements AttentionTap {

    /** A step is a spike when its gradient norm exceeds this many times the median of the last ones. */
    static final double SPIKE_FACTOR = 10;
    /** How many recent gradient norms the spike test compares with. */
    static final int SPIKE_WINDOW = 50;
    /** The PAM query grid of the scheduled lines: every QUERY_STEP-th cell along each axis. */
    static final int QUERY_STEP = 2;

    /**
     * One line of diagnostics.
     *
     * @param iteration the step (1-based)
     * @param reason "every" (scheduled) or "spike" (gradient norm far above the recent ones)
     * @param lr the backbone's learning rate; the head's is lr times the multiplier
     * @param headLr the head's learning rate
     * @param gradNorm global gradient norm before clipping
     * @param clipFactor what the gradients were multiplied by (1: not clipped)
     * @param losses each output's loss, by output name
     * @param gradNorms gradient L2 norm (before clipping) per module
     * @param gradNormParts the same per part: backbone, pam, cam, classifiers, aux, ...
     * @param weightNorms weight L2 norm per module, after the update
     * @param scalars the attention scalars after the update, by parameter name
     * @param attention measures of this step's attention rows (scheduled lines only; empty for
     *        a model without attention)
     * @param seconds wall time the diagnostics took: reading the taps during the step and making
     *        the line after it
     */
    record Line(int iteration, String reason, double lr, double headLr, double gradNorm, double clipFactor,
            Map<String, Double> losses, Map<String, Double> gradNorms, Map<String, Double> gradNormParts,
            Map<String, Double> weightNorms, Map<String, Double> scalars, Map<String, Double> attention,
            double seconds) {}

    private final Network network;
    private final TrainConfig config;
    private final Sgd sgd;
    private final DanetHead head;
    private final String mainName;
    private final ArrayDeque<Double> recentNorms = new ArrayDeque<>();

    private boolean tapping;
    private Batch batch;
    private AttentionRowStats pamRows;
    private double energySpread;
    private double queryNorm;
    private double keyNorm;
    private long pamSamples;
    private double camMax;
    private double camEntropy;
    private long camRows;
    private long tapNanos;

    TrainingDiagnostics(Network network, TrainConfig config, Sgd sgd) {
        this.network = network;
        this.config = config;
        this.sgd = sgd;
        this.head = network.baseModel().head() instanceof DanetHead h ? h : null;
        this.mainName = config.model().head().outputCount() > 1 ? "fused" : config.model().head().id();
    }

    /**
     * An output's name in the log: the main map as "fused" for DANet and as the head's id for
     * a single-branch head; the others by their own names ("pam", "cam", "scale_S", "aux").
     */
    private String logName(String output) {
        return output.equals(SegmentationOutputs.MAIN) ? mainName : output;
    }

    /** Whether the (0-based) iteration gets a scheduled line: the first, then every diagnosticsEvery-th. */
    boolean scheduled(int iteration) {
        int every = config.diagnosticsEvery();
        return every > 0 && (iteration == 0 || (iteration + 1) % every == 0);
    }

    /** Before the step: on scheduled iterations, taps the attention modules for this batch. */
    void beforeStep(int iteration, Batch stepBatch) {
        tapping = scheduled(iteration) && head != null;
        if (tapping) {
            batch = stepBatch;
            pamRows = new AttentionRowStats(Collections.nCopies(network.config().classes(), ""));
            energySpread = 0;
            queryNorm = 0;
            keyNorm = 0;
            pamSamples = 0;
            camMax = 0;
            camEntropy = 0;
            camRows = 0;
            tapNanos = 0;
            head.setTap(this);
        }
    }

    /**
     * After the step: removes the tap; returns the line to log, or null when the step gets none
     * (not scheduled and no spike, or diagnostics off).
     */
    Line afterStep(int iteration, StepRecord record) {
        long begin = System.nanoTime();
        if (head != null) {
            head.setTap(null);
        }
        if (config.diagnosticsEvery() == 0) {
            return null;
        }
        boolean spike = isSpike(record.gradNorm());
        remember(record.gradNorm());
        boolean due = scheduled(iteration);
        if (!due && !spike) {
            return null;
        }
        Map<String, Double> losses = new LinkedHashMap<>();
        record.outputLosses().forEach((name, loss) -> losses.put(logName(name), loss));
        double max = config.maxGradNorm();
        double clip = max > 0 ? Math.min(1, max / (record.gradNorm() + 1e-6)) : 1;
        if (Double.isNaN(record.gradNorm()) || Double.isInfinite(record.gradNorm())) {
            clip = max > 0 ? 0 : 1;
        }
        List<String> names = sgd.names();
        double[] squares = sgd.lastSquaredGradientNorms();
        Map<String, Double> attention = due && tapping ? attentionMeasures() : Map.of();
        long tapped = due && tapping ? tapNanos : 0;
        tapping = false;
        batch = null;
        Map<String, Double> weightNorms = byGroup(names, weightSquares(names), TrainingDiagnostics::module);
        Map<String, Double> scalars = scalars();
        double seconds = (System.nanoTime() - begin + tapped) / 1e9;
        return new Line(record.iteration(), due ? "every" : "spike", record.lr(),
                record.lr() * config.headLrMultiplier(), record.gradNorm(), clip, losses,
                byGroup(names, squares, TrainingDiagnostics::module), byGroup(names, squares, TrainingDiagnostics::part),
                weightNorms, scalars, attention, seconds);
    }

    /** On resume: the gradient norms of the steps already logged, so that the spike test goes on as in one run. */
    void recall(List<JsonNode> entries) {
        for (JsonNode e : entries) {
            if (e.path("type").asText().equals("step")) {
                remember(e.path("grad_norm").asDouble(Double.NaN));
            }
        }
    }

    private boolean isSpike(double norm) {
        return isSpike(norm, recentNorms);
    }

    /**
     * A gradient norm that is not finite, or above {@link #SPIKE_FACTOR} times the median of the
     * recent ones (at least 5 of them).
     */
    static boolean isSpike(double norm, Collection<Double> recent) {
        if (!Double.isFinite(norm)) {
            return true;
        }
        if (recent.size() < 5) {
            return false;
        }
        double[] sorted = recent.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return norm > SPIKE_FACTOR * sorted[sorted.length / 2];
    }

    private void remember(double norm) {
        if (Double.isFinite(norm)) {
            recentNorms.addLast(norm);
            if (recentNorms.size() > SPIKE_WINDOW) {
                recentNorms.removeFirst();
            }
        }
    }

    /**
     * The module a parameter belongs to: backbone stages (pretrained.stem, pretrained.layer1..4),
     * the head's blocks (head.conv5a, head.sa.query_key, head.sa.value, head.sa.gamma, head.conv51,
     * head.conv6, ...; an FCN head's layers as head.conv5, ...), auxlayer, scale_attention.
     */
    static String module(String name) {
        String[] parts = name.split("\\.");
        if (parts[0].equals("pretrained")) {
            return parts.length > 2 && parts[1].startsWith("layer") ? "pretrained." + parts[1] : "pretrained.stem";
        }
        if (parts[0].equals("head") && parts.length > 2 && parts[1].equals("sa")) {
            return switch (parts[2]) {
                case "query_conv", "key_conv" -> "head.sa.query_key";
                case "value_conv" -> "head.sa.value";
                default -> "head.sa." + parts[2];
            };
        }
        return parts[0].equals("head") && parts.length > 2 ? "head." + parts[1] : parts[0];
    }

    /**
     * The part a parameter belongs to: backbone; pam (conv5a, sa, conv51); cam (conv5c, sc,
     * conv52); classifiers (conv6, conv7, conv8); head (an FCN head); aux; scale_attention.
     */
    static String part(String name) {
        String[] parts = name.split("\\.");
        if (parts[0].equals("pretrained")) {
            return "backbone";
        }
        if (parts[0].equals("head") && parts.length > 1) {
            return switch (parts[1]) {
                case "conv5a", "sa", "conv51" -> "pam";
                case "conv5c", "sc", "conv52" -> "cam";
                case "conv6", "conv7", "conv8" -> "classifiers";
                default -> "head";
            };
        }
        return parts[0].equals("auxlayer") ? "aux" : parts[0];
    }

    /** sqrt of the summed squares of each group, groups in order of first appearance. */
    static Map<String, Double> byGroup(List<String> names, double[] squares,
            Function<String, String> group) {
        Map<String, Double> sums = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(names.size(), squares.length); i++) {
            sums.merge(group.apply(names.get(i)), squares[i], Double::sum);
        }
        sums.replaceAll((k, v) -> Math.sqrt(v));
        return sums;
    }

    private double[] weightSquares(List<String> names) {
        Map<String, Parameter> parameters = network.parameters();
        try (NDManager scope = network.manager().newSubManager()) {
            NDList squares = new NDList(names.size());
            for (String name : names) {
                NDArray w = parameters.get(name).getArray();
                NDArray square = w.square().sum().toType(DataType.FLOAT64, false);
                square.attach(scope);
                squares.add(square);
            }
            NDArray stacked = NDArrays.stack(squares);
            stacked.attach(scope);
            return stacked.toDoubleArray();
        }
    }

    private Map<String, Double> scalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        network.parameters().forEach((name, p) -> {
            if (name.endsWith(".sa.gamma") || name.endsWith(".sc.gamma")) {
                out.put(name, p.getArray().toType(DataType.FLOAT64, false).getDouble());
            }
        });
        return out;
    }

    private Map<String, Double> attentionMeasures() {
        Map<String, Double> out = new LinkedHashMap<>();
        if (pamRows != null && pamRows.rows() > 0) {
            AttentionRowStats.Summary s = pamRows.summary();
            out.put("pam_rows", (double) s.rows());
            out.put("pam_same_class_mass", s.sameClassMass().mean());
            out.put("pam_chance", s.chance().mean());
            out.put("pam_relative_entropy", s.relativeEntropy().mean());
            out.put("pam_row_max", s.maxWeight().mean());
            out.put("pam_one_hot", s.oneHot());
            out.put("pam_self_weight", s.selfWeight().mean());
            out.put("pam_shared_with_mean", s.sharedWithMean().mean());
            out.put("pam_energy_row_std", energySpread / pamSamples);
            out.put("pam_query_norm", queryNorm / pamSamples);
            out.put("pam_key_norm", keyNorm / pamSamples);
        }
        if (camRows > 0) {
            out.put("cam_row_max", camMax / camRows);
            out.put("cam_relative_entropy", camEntropy / camRows);
        }
        return out;
    }

    @Override
    public void position(NDArray weights, long firstRow, NDArray queries, NDArray keys, long height, long width) {
        if (!tapping || batch == null) {
            return;
        }
        long begin = System.nanoTime();
        try {
            measurePosition(weights, firstRow, queries, keys, height, width);
        } finally {
            tapNanos += System.nanoTime() - begin;
        }
    }

    private void measurePosition(NDArray weights, long firstRow, NDArray queries, NDArray keys, long height,
            long width) {
        int h = (int) height;
        int w = (int) width;
        int n = h * w;
        int images = (int) weights.getShape().get(0);
        int blockRows = (int) weights.getShape().get(1);
        int[] grid = AttentionRowStats.queryGrid(w, h, QUERY_STEP);
        int[] inBlock = Arrays.stream(grid).filter(c -> c >= firstRow && c < firstRow + blockRows).toArray();
        if (inBlock.length == 0 || images != batch.size()) {
            return;
        }
        long[] local = Arrays.stream(inBlock).mapToLong(c -> c - firstRow).toArray();
        long[] global = Arrays.stream(inBlock).mapToLong(c -> c).toArray();
        float[] rows;
        float[] energyStd;
        float[] qNorms;
        float[] kNorms;
        try (NDManager scope = network.manager().newSubManager()) {
            NDArray localIndex = scope.create(local);
            NDArray globalIndex = scope.create(global);
            NDArray picked = weights.get(new NDIndex(":, {}", localIndex));
            NDArray q = queries.get(new NDIndex(":, {}", globalIndex));
            NDArray energy = q.matMul(keys);
            NDArray centred = energy.sub(energy.mean(new int[] {-1}, true));
            NDArray std = centred.square().mean(new int[] {-1}).sqrt();
            NDArray keyNorms = keys.square().sum(new int[] {1}).sqrt();
            NDArray queryNorms = q.square().sum(new int[] {-1}).sqrt();
            for (NDArray a : new NDArray[] {picked, q, energy, centred, std, keyNorms, queryNorms}) {
                a.attach(scope);
            }
            rows = picked.toType(DataType.FLOAT32, false).toFloatArray();
            energyStd = std.toType(DataType.FLOAT32, false).toFloatArray();
            qNorms = queryNorms.toType(DataType.FLOAT32, false).toFloatArray();
            kNorms = keyNorms.toType(DataType.FLOAT32, false).toFloatArray();
        }
        int plane = batch.height() * batch.width();
        for (int b = 0; b < images; b++) {
            int[] labels = AttentionRowStats.labelsAtGrid(
                    Arrays.copyOfRange(batch.labels(), b * plane, (b + 1) * plane), batch.width(), batch.height(), w, h);
            float[] imageRows = Arrays.copyOfRange(rows, b * inBlock.length * n, (b + 1) * inBlock.length * n);
            pamRows.addImage(imageRows, inBlock, labels);
        }
        for (int i = 0; i < energyStd.length; i++) {
            energySpread += energyStd[i];
            queryNorm += qNorms[i];
            pamSamples++;
        }
        double keySum = 0;
        for (float k : kNorms) {
            keySum += k;
        }
        // Key norms averaged over all cells, weighted as the query rows are.
        keyNorm += keySum / kNorms.length * energyStd.length;
    }

    @Override
    public void channel(NDArray weights) {
        if (!tapping) {
            return;
        }
        long begin = System.nanoTime();
        Shape shape = weights.getShape();
        int c = (int) shape.get(shape.dimension() - 1);
        float[] values = weights.toType(DataType.FLOAT32, false).toFloatArray();
        for (int row = 0; row < values.length / c; row++) {
            double largest = 0;
            double entropy = 0;
            for (int j = 0; j < c; j++) {
                double p = values[row * c + j];
                largest = Math.max(largest, p);
                if (p > 0) {
                    entropy -= p * Math.log(p);
                }
            }
            camMax += largest;
            camEntropy += c > 1 ? entropy / Math.log(c) : 0;
            camRows++;
        }
        tapNanos += System.nanoTime() - begin;
    }
}
