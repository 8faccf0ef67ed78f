package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Setting a weight writes into its own memory: no Java-held copy, still a trainable leaf. */
class ParameterValuesTest {

    private static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    @Test
    void assignedValuesLiveInTheWeightsOwnMemoryNotInAJavaBuffer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(1024, 4096); // 16 MB in float32
            NDArray weight = manager.zeros(shape);
            weight.setRequiresGradient(true);
            NDArray values = manager.arange(0f, 1024f * 4096f).reshape(shape);
            long before = directBytes();
            ParameterValues.assign(weight, values);
            long held = directBytes() - before;
            // DJL's copyTo would hold all 16 MB in a direct ByteBuffer that the weight then points into.
            assertTrue(held < 4 << 20, "direct ByteBuffers grew by " + held + " bytes");
            assertArrayEquals(values.toFloatArray(), weight.toFloatArray());
        }
    }

    @Test
    void anAssignedWeightIsStillALeafThatTrains() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.zeros(new Shape(2, 3));
            weight.setRequiresGradient(true);
            ParameterValues.assign(weight, manager.create(new double[] {0.1, 1.1, 2.1, 3.1, 4.1, 5.1}, new Shape(2, 3)));
            // converted as PyTorch converts float64 to float32: rounded to nearest
            assertArrayEquals(new float[] {0.1f, 1.1f, 2.1f, 3.1f, 4.1f, 5.1f}, weight.toFloatArray());
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(weight.mul(weight).sum());
            }
            assertArrayEquals(new float[] {0.2f, 2.2f, 4.2f, 6.2f, 8.2f, 10.2f}, weight.getGradient().toFloatArray());
            assertTrue(weight.hasGradient());
            assertTrue(weight.getDataType() == DataType.FLOAT32);
        }
    }

    @Test
    void valuesOfAnotherShapeAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.zeros(new Shape(2, 3));
            assertThrows(IllegalArgumentException.class, () -> ParameterValues.assign(weight, manager.zeros(new Shape(3, 2))));
        }
    }
}
