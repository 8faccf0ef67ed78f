package dev.danet.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The machine's practical float32 peak as libtorch reaches it: the best of several square
 * matrix products (one GEMM call each), in GFLOP/s, with the engine's thread setting. What a
 * convolution achieves is read against this number.
 */
public final class GemmPeak {

    private GemmPeak() {}

    public static double gigaflops(NDManager parent, int size, int repeats) {
        try (NDManager m = parent.newSubManager()) {
            NDArray a = m.randomNormal(new Shape(size, size));
            NDArray b = m.randomNormal(new Shape(size, size));
            a.matMul(b).close(); // warm-up: thread pool and packing buffers
            double best = 0;
            for (int i = 0; i < repeats; i++) {
                long t = System.nanoTime();
                a.matMul(b).close();
                double seconds = (System.nanoTime() - t) / 1e9;
                best = Math.max(best, 2.0 * size * size * size / seconds / 1e9);
            }
            return best;
        }
    }
}
