package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The floored softmax is the softmax to float64 round-off, and never forms a subnormal. */
class AttentionWeightsTest {

    @Test
    void flooredSoftmaxEqualsTheSoftmaxEvenWhenSharplyPeaked() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(5);
            for (double spread : new double[] {1, 30, 300}) {
                NDArray energy = m.randomNormal(new Shape(2, 64, 64)).toType(DataType.FLOAT64, false).mul(spread);
                NDArray plain = energy.softmax(-1);
                NDArray floored = AttentionWeights.softmax(energy);
                double error = floored.sub(plain).abs().max().getDouble();
                assertTrue(error < 1e-17, "spread " + spread + ": max difference " + error);
                assertEquals(1.0, floored.sum(new int[] {-1}).min().getDouble(), 1e-12);
            }
        }
    }

    @Test
    void peakedFloat32WeightsHoldNoSubnormals() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(6);
            NDArray energy = m.randomNormal(new Shape(1, 256, 256)).mul(30f);
            NDArray plain = energy.softmax(-1);
            long before = subnormals(plain);
            assertTrue(before > 1000, "the test needs subnormals in the plain softmax, got " + before);
            assertEquals(0, subnormals(AttentionWeights.softmax(energy)));
        }
    }

    private static long subnormals(NDArray weights) {
        NDArray magnitude = weights.abs();
        return magnitude.lt(Float.MIN_NORMAL).logicalAnd(magnitude.gt(0f)).toType(DataType.INT64, false).sum()
                .getLong();
    }

    @Test
    void theEnergyIsFreedOnceItsFlooredCopyExists() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray energy = m.randomNormal(new Shape(1, 32, 32));
            NDArray weights = AttentionWeights.softmax(energy);
            // two maps of the energy's size at once, not three (docs/performance.md, "Process memory")
            assertTrue(energy.isReleased(), "the softmax frees the energy");
            assertEquals(1f, weights.sum(new int[] {-1}).min().getFloat(), 1e-6f);
        }
    }
}
