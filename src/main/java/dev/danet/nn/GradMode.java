package dev.danet.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's grad mode: whether operations on weights record the autograd graph that a backward
 * pass needs. It is per thread. DJL switches it off on the thread that starts the engine, and a
 * gradient collector switches it on and off again; every other thread (the server's inference
 * thread, a pool's) starts with libtorch's default, on. A forward pass there keeps every
 * activation alive for a backward pass that never comes, as a training step does: measured,
 * a 1x20000 image took the server from 212 MB to 2.5 GB.
 *
 * <p>So the inference entry points ({@link Network#predict}, {@link Network#scaleWeights}, the
 * attention features) run inside {@link #off()}, whatever thread calls them, and give the
 * thread back its own mode afterwards.
 */
public final class GradMode {

    private GradMode() {}

    /** Whether this thread records autograd graphs now. */
    public static boolean isRecording() {
        return JniUtils.isGradMode();
    }

    /** Stops recording on this thread until the returned scope is closed, which restores the mode found. */
    public static Off off() {
        boolean wasRecording = JniUtils.isGradMode();
        if (wasRecording) {
            JniUtils.setGradMode(false);
        }
        return new Off(wasRecording);
    }

    /** A stretch of code that records no graph; closing it restores the thread's previous mode. */
    public static final class Off implements AutoCloseable {

        private final boolean restore;

        private Off(boolean restore) {
            this.restore = restore;
        }

        @Override
        public void close() {
            if (restore) {
                JniUtils.setGradMode(true);
            }
        }
    }
}
