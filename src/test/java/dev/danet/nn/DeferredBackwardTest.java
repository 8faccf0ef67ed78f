package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** A cut tensor passes its consumers' gradients on to its own graph after the loss's backward. */
class DeferredBackwardTest {

    @Test
    void aCutPassesTheGradientOfEveryConsumerOnOnce() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new double[] {2, 3});
            w.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                    DeferredBackward deferred = new DeferredBackward()) {
                NDArray y = w.mul(w); // y = w^2, dy/dw = 2w
                NDArray cut = deferred.cut(y);
                NDArray loss = cut.mul(3).sum().add(cut.sum()); // dL/dy = 4
                collector.backward(loss);
                deferred.run();
            }
            assertArrayEquals(new double[] {16, 24}, w.getGradient().toType(DataType.FLOAT64, false).toDoubleArray(), 1e-5);
        }
    }
}
