package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

/**
 * A training forward pass ({@link Network#trainingPass}): its outputs, and the backward pass
 * that goes with them, which under lean {@link TrainingMemory} settings continues after the
 * loss's own ({@link DeferredBackward}). Close it when the step is done.
 */
public final class TrainingPass implements AutoCloseable {

    private final SegmentationOutputs outputs;
    private final DeferredBackward deferred;

    TrainingPass(SegmentationOutputs outputs, DeferredBackward deferred) {
        this.outputs = outputs;
        this.deferred = deferred;
    }

    public SegmentationOutputs outputs() {
        return outputs;
    }

    /** Every parameter's gradient of the loss, as the plain step's backward gives it. */
    public void backward(GradientCollector collector, NDArray loss) {
        collector.backward(loss);
        if (deferred != null) {
            deferred.run();
        }
    }

    @Override
    public void close() {
        if (deferred != null) {
            deferred.close();
        }
    }
}
