package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The parts of a training step's backward pass that run after the loss's own, for blocks that
 * compute their backward themselves (DJL has no custom autograd functions): lean position
 * attention recomputes its map block by block, a recomputed backbone unit runs again.
 *
 * <p>Such a block hands its consumers a <em>leaf</em>: a tensor outside the autograd graph
 * that collects its gradient. When the loss's backward has run, {@link #run} takes the steps
 * newest first: each turns the gradient its leaf collected into the gradients of its inputs,
 * with libtorch's {@code backward(tensor, gradient)}. A block's inputs come from earlier
 * blocks, so when a step runs, every consumer of its leaf has already passed its share on.
 *
 * <p>To keep every part of the graph traversed once, a tensor several consumers share is
 * {@link #cut} (the backbone's stage outputs, position attention's input): otherwise the
 * loss's backward would run through the backbone for the consumers it reaches and a step's
 * backward again for the rest.
 *
 * <p>The arrays the steps need are held here, out of the blocks' scopes, and freed by
 * {@link #close}; each step frees its own as soon as it has run.
 */
public final class DeferredBackward implements AutoCloseable {

    /** Backward work of one block. */
    @FunctionalInterface
    interface Step {
        void run();
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    private final Set<NDArray> held = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * Cuts a recorded tensor out of the graph: returns a view of a new leaf with its values, for
     * the consumers; the gradient the leaf collects is passed on to the tensor's own graph by a
     * step that runs after those of every block computed later.
     */
    NDArray cut(NDArray recorded) {
        NDArray source = keep(recorded);
        NDArray leaf = hold(newLeaf(recorded));
        later(() -> {
            passOn(source, leaf);
            release(source, leaf);
        });
        return leaf.reshape(leaf.getShape());
    }

    /**
     * A handle of our own on a recorded tensor (a view, still in its graph), held until its step
     * frees it: the block that made the tensor, or its consumers, may close theirs.
     */
    NDArray keep(NDArray recorded) {
        return hold(recorded.reshape(recorded.getShape()));
    }

    /** Adds a step, to run before every step added earlier. */
    void later(Step step) {
        steps.push(step);
    }

    /** Keeps arrays alive past the scope of the block that made them, until its step frees them. */
    NDArray hold(NDArray array) {
        NDScope.unregister(array);
        held.add(array);
        return array;
    }

    /** Frees arrays a step no longer needs. */
    void release(NDArray... arrays) {
        for (NDArray a : arrays) {
            held.remove(a);
            a.close();
        }
    }

    /** A leaf with the values of x that collects a gradient: detached, gradient required. */
    static NDArray newLeaf(NDArray x) {
        NDArray leaf = x.stopGradient();
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /** The gradient a leaf collected, or null when no consumer's backward reached it. */
    static NDArray gradientOf(NDArray leaf) {
        return JniUtils.getGradient((PtNDArray) leaf);
    }

    /** Continues the backward pass from a recorded tensor with the gradient its leaf collected. */
    static void passOn(NDArray recorded, NDArray leaf) {
        NDArray gradient = gradientOf(leaf);
        if (gradient != null) {
            backward(recorded, gradient);
            gradient.close();
        }
    }

    /**
     * libtorch's backward from a tensor with a given gradient, freeing the graph it runs through.
     * Every tensor handed here is computed from trainable weights, so it is part of the graph.
     * (Not checked with DJL's getGradientFunctionNames: it crashes the JVM on a tensor without
     * a gradient function; and its hasGradient says false for every computed tensor.)
     */
    static void backward(NDArray recorded, NDArray gradient) {
        JniUtils.backward((PtNDArray) recorded, (PtNDArray) gradient, false, false);
    }

    /** Runs the deferred steps, newest first; then nothing is held. */
    public void run() {
        while (!steps.isEmpty()) {
            steps.pop().run();
        }
        close();
    }

    /** Frees what is still held (all of it when {@link #run} was never called, e.g. after an error). */
    @Override
    public void close() {
        steps.clear();
        for (NDArray a : held) {
            a.close();
        }
        held.clear();
    }
}
