package dev.danet.nn;

import ai.djl.ndarray.NDArray;

/**
 * The position-attention softmax, kept clear of subnormal floats. A trained PAM is sharply
 * peaked: most weights in a row underflow, and those that land in the subnormal range (below
 * 1.2e-38 in float32; 2% of a trained DANet-ResNet-50's map at 512x512) make the CPU's matrix
 * products that read them a hundred times slower (V S^T with 19% subnormals: 11.6 s against
 * 0.07 s, docs/performance.md). PyTorch users flip the whole process to flush-to-zero; DJL
 * cannot, so the energies are floored instead: an energy more than {@link #FLOOR} below its
 * row's maximum is raised to that level, which bounds every weight below by e^-50 / N of the
 * row's largest one. The weights change by at most N e^-50 (6e-18 of the row at N = 32768,
 * under float64's resolution), and no subnormal is formed, in the forward pass or in the
 * softmax's backward.
 */
final class AttentionWeights {

    /** How far below its row's maximum an energy may lie. */
    static final float FLOOR = 50f;

    private AttentionWeights() {}

    /**
     * softmax over the last axis of energies whose rows are floored at (row maximum - FLOOR).
     * Takes the energies over: they are closed as soon as the floored copy exists, so that two
     * maps of their size are alive at once, not three (the energy, the floored copy and the
     * weights: 201 MB instead of 134 MB for DANet at 512x512). Autograd keeps what its backward
     * needs on its own.
     */
    static NDArray softmax(NDArray energy) {
        // The floor moves with the maximum but is not a path for gradients.
        NDArray floor = energy.max(new int[] {-1}, true).stopGradient().sub(FLOOR);
        NDArray raised = energy.maximum(floor);
        floor.close();
        energy.close();
        NDArray weights = raised.softmax(-1);
        raised.close();
        return weights;
    }
}
