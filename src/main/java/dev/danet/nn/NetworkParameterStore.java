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

    NetworkParameterStore(NDManager manager, ExecutionOptions options) {
        super(manager, false);
        this.options = options;
    }

    ExecutionOptions options() {
        return options;
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
