package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A network's parameter store (the weights themselves, no copies), which carries the network's
 * {@link ExecutionOptions} to its blocks (every forward pass receives the store) and keeps the
 * batch-norm folds of an inference-only network: computed on first use, shared by every thread
 * that runs the network, dropped when the network may train again.
 */
final class NetworkParameterStore extends ParameterStore {

    private final ExecutionOptions options;
    private final Map<Block, NDArray[]> folds = new ConcurrentHashMap<>();
    private volatile boolean inferenceOnly;

    private final NDManager manager;
    private final DeferredBackward deferred;
    private final boolean recomputing;

    NetworkParameterStore(NDManager manager, ExecutionOptions options) {
        this(manager, options, null, false);
    }

    /** The store of one training forward pass whose blocks leave parts of the backward pass to deferred. */
    NetworkParameterStore(NDManager manager, ExecutionOptions options, DeferredBackward deferred) {
        this(manager, options, deferred, false);
    }

    private NetworkParameterStore(NDManager manager, ExecutionOptions options, DeferredBackward deferred,
            boolean recomputing) {
        super(manager, false);
        this.manager = manager;
        this.options = options;
        this.deferred = deferred;
        this.recomputing = recomputing;
    }

    /**
     * The store for running a block again in the backward pass (recomputation): the same
     * weights, batch norms that leave their running statistics alone (the first pass updated them).
     */
    NetworkParameterStore forRecomputation() {
        return new NetworkParameterStore(manager, options, null, true);
    }

    /** Whether this pass repeats one already made (see {@link #forRecomputation}). */
    boolean recomputing() {
        return recomputing;
    }

    ExecutionOptions options() {
        return options;
    }

    /** Where blocks leave backward work for after the loss's backward pass; null outside such a pass. */
    DeferredBackward deferred() {
        return deferred;
    }

    boolean inferenceOnly() {
        return inferenceOnly;
    }

    synchronized void setInferenceOnly(boolean on) {
        inferenceOnly = on;
        if (!on) {
            for (NDArray[] fold : folds.values()) {
                for (NDArray a : fold) {
                    a.close();
                }
            }
            folds.clear();
        }
    }

    /**
     * The conv's folded {weight, bias}, or null unless the network is inference-only and its
     * options fold batch norms.
     */
    NDArray[] folded(Block conv, Supplier<NDArray[]> fold) {
        if (!inferenceOnly || !options.foldBatchNorms()) {
            return null;
        }
        return folds.computeIfAbsent(conv, c -> {
            NDArray[] arrays = fold.get();
            NDScope.unregister(arrays); // kept past the forward pass that first needed them
            return arrays;
        });
    }
}
