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
 * A network's parameter store (the weights themselves, no copies), which also keeps the
 * batch-norm folds of an inference-only network: computed on first use, shared by every
 * thread that runs the network, dropped when the network may train again.
 */
final class NetworkParameterStore extends ParameterStore {

    /**
     * Off by default (see {@link Network#setBatchNormFolding}); {@code -Ddanet.foldBatchNorm=true}
     * or the CLI's --fold-batch-norm turn it on.
     */
    static volatile boolean foldingEnabled = Boolean.getBoolean("danet.foldBatchNorm");

    private final Map<Block, NDArray[]> folds = new ConcurrentHashMap<>();
    private volatile boolean inferenceOnly;

    NetworkParameterStore(NDManager manager) {
        super(manager, false);
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

    /** The conv's folded {weight, bias}, or null when the network is not inference-only. */
    NDArray[] folded(Block conv, Supplier<NDArray[]> fold) {
        if (!inferenceOnly || !foldingEnabled) {
            return null;
        }
        return folds.computeIfAbsent(conv, c -> {
            NDArray[] arrays = fold.get();
            NDScope.unregister(arrays); // kept past the forward pass that first needed them
            return arrays;
        });
    }
}
