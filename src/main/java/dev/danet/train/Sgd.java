package dev.danet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Stochastic gradient descent with torch.optim.SGD's semantics (DJL's folds the learning rate
 * into the momentum buffer, which differs under a changing rate): for each parameter,
 * d = g + weightDecay * w; buf = momentum * buf + d (buf = d at the first step);
 * w -= lr * multiplier * buf. Head parameters take a learning-rate multiplier (10 in the
 * reference). Gradients are zeroed after each step.
 */
public final class Sgd {

    private final Map<String, Parameter> parameters;
    private final double momentum;
    private final double weightDecay;
    private final Predicate<String> boosted;
    private final double multiplier;
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    private final NDManager manager;
    private double[] lastSquares = new double[0];

    /**
     * @param parameters trainable parameters by name (frozen ones are skipped)
     * @param boosted which names take the multiplier (e.g. everything outside the backbone)
     * @param multiplier learning-rate factor for boosted parameters
     */
    public Sgd(NDManager manager, Map<String, Parameter> parameters, double momentum, double weightDecay,
            Predicate<String> boosted, double multiplier) {
        this.manager = manager;
        this.parameters = new LinkedHashMap<>();
        parameters.forEach((name, p) -> {
            if (p.requiresGradient()) {
                this.parameters.put(name, p);
            }
        });
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.boosted = boosted;
        this.multiplier = multiplier;
    }

    public void step(double lr) {
        step(lr, 0);
    }

    /**
     * One update. With maxGradNorm > 0, the gradients are first scaled down so that their
     * global L2 norm is at most maxGradNorm (as torch.nn.utils.clip_grad_norm_).
     *
     * @return the global gradient norm before clipping
     */
    public double step(double lr, double maxGradNorm) {
        // Temporaries die with the scope; only new momentum buffers are kept.
        try (NDScope scope = new NDScope()) {
            double norm = globalGradientNorm();
            // As clip_grad_norm_: the factor max / (norm + 1e-6), applied when below 1; kept in
            // double, since a float factor is 6e-8 off PyTorch's in float64 training.
            double clip = maxGradNorm > 0 ? maxGradNorm / (norm + 1e-6) : 1;
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                NDArray weight = e.getValue().getArray();
                NDArray grad = weight.getGradient();
                if (clip < 1) {
                    grad.muli(clip);
                }
                NDArray d = weightDecay == 0 ? grad : grad.add(weight.mul(weightDecay));
                NDArray buffer = buffers.get(e.getKey());
                if (buffer == null) {
                    buffer = d.duplicate();
                    NDScope.unregister(buffer);
                    buffers.put(e.getKey(), buffer);
                } else {
                    buffer.muli(momentum).addi(d);
                }
                double rate = lr * (boosted.test(e.getKey()) ? multiplier : 1.0);
                weight.subi(buffer.mul(rate));
                grad.muli(0);
            }
            return norm;
        }
    }

    /**
     * The L2 norm over all gradients (per-parameter sums added in float64). One value comes back from libtorch
     * for the norm, plus the per-parameter sums in one read (kept for {@link #lastSquaredGradientNorms}).
     */
    private double globalGradientNorm() {
        NDList squares = new NDList(parameters.size());
        for (Parameter p : parameters.values()) {
            squares.add(p.getArray().getGradient().square().sum().toType(DataType.FLOAT64, false));
        }
        NDArray perParameter = NDArrays.stack(squares);
        lastSquares = perParameter.toDoubleArray();
        return Math.sqrt(perParameter.sum().getDouble());
    }

    /** Names of the parameters this optimiser updates, in the order of {@link #lastSquaredGradientNorms}. */
    public List<String> names() {
        return List.copyOf(parameters.keySet());
    }

    /**
     * Each parameter's squared gradient L2 norm (float32 sums of squares for a float32 network)
     * at the last step, before clipping; empty before the first step.
     */
    public double[] lastSquaredGradientNorms() {
        return lastSquares.clone();
    }

    /** Momentum buffers by parameter name, for checkpoints. */
    public Map<String, NDArray> state() {
        return buffers;
    }

    /** Restores momentum buffers saved by {@link #state()}. */
    public void load(Map<String, NDArray> saved) {
        buffers.values().forEach(NDArray::close);
        buffers.clear();
        saved.forEach((name, array) -> {
            if (parameters.containsKey(name)) {
                NDArray copy = array.toType(parameters.get(name).getArray().getDataType(), true);
                copy.attach(manager);
                buffers.put(name, copy);
            }
        });
    }
}
