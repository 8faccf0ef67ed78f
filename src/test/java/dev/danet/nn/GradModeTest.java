package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.danet.testing.TinyModels;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * libtorch's grad mode is per thread and on by default on every thread but the one that started
 * the engine: inference there must not record autograd graphs (a graph keeps every activation,
 * 2.5 GB for a 1x20000 image). The inference entry points switch recording off themselves and
 * give the thread back as they found it.
 */
class GradModeTest {

    /** Runs work on a thread that has never called libtorch: grad mode at libtorch's default. */
    private static <T> T onFreshThread(Supplier<T> work) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(work::get).get(2, TimeUnit.MINUTES);
        } finally {
            thread.shutdown();
        }
    }

    /**
     * Whether libtorch recorded how the array was computed: a backward pass from it runs only
     * then (else libtorch refuses: the tensor "does not require grad and does not have a grad_fn").
     */
    private static boolean recordsGraph(NDArray array) {
        NDArray total = array.sum();
        try {
            JniUtils.backward((PtNDArray) total, (PtNDArray) total.onesLike(), false, false);
            return true;
        } catch (EngineException e) {
            return false;
        }
    }

    /** What a fresh thread saw: grad mode before and after, and whether the output records a graph. */
    private record Seen(boolean recordingBefore, boolean outputRequiresGradient, boolean recordingAfter) {}

    @Test
    void predictOnAFreshThreadRecordsNoGraphAndLeavesTheThreadAsItWas() throws Exception {
        try (Network network = TinyModels.create(HeadType.DANET)) {
            Seen seen = onFreshThread(() -> {
                boolean before = JniUtils.isGradMode();
                try (NDManager m = network.manager().newSubManager()) {
                    NDArray out = network.predict(m.randomNormal(new Shape(1, 3, 32, 32)));
                    return new Seen(before, recordsGraph(out), JniUtils.isGradMode());
                }
            });
            assertTrue(seen.recordingBefore(), "a fresh thread starts with libtorch's default, grad mode on");
            assertFalse(seen.outputRequiresGradient(), "predict recorded an autograd graph");
            assertTrue(seen.recordingAfter(), "predict must restore the thread's grad mode");
        }
    }

    @Test
    void scaleWeightsOnAFreshThreadRecordNoGraph() throws Exception {
        ModelConfig scaled = TinyModels.config(HeadType.DANET)
                .withScales(new ScaleConfig(List.of(1.0, 0.5), ScaleFusion.ATTENTION));
        try (Network network = Network.create(scaled)) {
            boolean requires = onFreshThread(() -> {
                try (NDManager m = network.manager().newSubManager()) {
                    return recordsGraph(network.scaleWeights(m.randomNormal(new Shape(1, 3, 32, 32))));
                }
            });
            assertFalse(requires, "scaleWeights recorded an autograd graph");
        }
    }
}
