package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Base of the project's blocks: a DJL block whose children carry PyTorch's module names,
 * plus the chores every composite block repeats (run a child; initialise a child and learn
 * its output shape).
 *
 * <p><b>Memory.</b> DJL attaches every intermediate array to a manager that lives as long as
 * the whole forward pass, so a plain DJL network holds all its activations until the caller
 * closes that manager (several GB for a DANet at full resolution). Here each child runs in its
 * own {@link NDScope}: what it creates besides its outputs is freed as soon as it returns, and
 * its outputs pass to the caller's scope. Composite blocks also {@link #release} an
 * intermediate as soon as its last consumer has run. In training this only drops the Java
 * handles: libtorch's autograd keeps its own references to the tensors backward needs, so the
 * memory held is exactly what PyTorch would hold. Both follow the network's
 * {@link ExecutionOptions#releaseIntermediates}, read through the parameter store that every
 * forward pass receives ({@link #options}).
 */
abstract class TorchBlock extends AbstractBlock {

    /**
     * The options of the network whose store this is; the defaults for any other store (a block
     * run on its own, as tests do).
     */
    static ExecutionOptions options(ParameterStore ps) {
        return ps instanceof NetworkParameterStore store ? store.options() : ExecutionOptions.DEFAULTS;
    }

    /**
     * The deferred backward work of the training pass this store runs (see {@link Network#trainingPass});
     * null in any other pass.
     */
    static DeferredBackward deferred(ParameterStore ps) {
        return ps instanceof NetworkParameterStore store ? store.deferred() : null;
    }

    /** Runs a single-input, single-output child in its own scope. */
    static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return applyScoped(block, ps, new NDList(x), training, null).singletonOrThrow();
    }

    /**
     * Runs a child in its own scope: every array it creates is closed when it returns, except
     * its outputs, which join the caller's scope (outputs that are inputs stay where they were).
     */
    static NDList applyScoped(Block block, ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (!options(ps).releaseIntermediates()) {
            return block.forward(ps, inputs, training, params);
        }
        NDList outputs;
        try (NDScope scope = new NDScope()) {
            outputs = block.forward(ps, inputs, training, params);
            NDScope.unregister(outputs);
        }
        Set<NDArray> given = Collections.newSetFromMap(new IdentityHashMap<>());
        given.addAll(inputs);
        for (NDArray out : outputs) {
            if (!given.contains(out)) {
                NDScope.register(out);
            }
        }
        return outputs;
    }

    /**
     * Frees an intermediate whose last consumer has run, unless it is one of the values that
     * must survive (a block's own input, or an output that is the same array); ps is the store
     * of the pass, whose options say whether to release at all.
     */
    static void release(ParameterStore ps, NDArray intermediate, NDArray... keep) {
        if (intermediate == null || !options(ps).releaseIntermediates()) {
            return;
        }
        for (NDArray k : keep) {
            if (k == intermediate) {
                return;
            }
        }
        intermediate.close();
    }

    /** Initialises a child for the given input shape and returns its output shape. */
    static Shape init(Block block, NDManager manager, DataType type, Shape input) {
        block.initialize(manager, type, input);
        return outputShape(block, input);
    }

    static Shape outputShape(Block block, Shape input) {
        return block.getOutputShapes(new Shape[] {input})[0];
    }
}
