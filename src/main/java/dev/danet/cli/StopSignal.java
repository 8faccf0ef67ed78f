package dev.danet.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C and SIGTERM for long training jobs: the first one asks the run to stop after the step
 * in progress and checkpoint (exiting while libtorch is inside a backward pass crashes the JVM
 * and loses the steps since the last checkpoint); a second Ctrl-C exits at once, as usual.
 */
final class StopSignal {

    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private StopSignal() {}

    /** Takes over INT and TERM for this process (once). */
    static void install() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        for (String name : new String[] {"INT", "TERM"}) {
            Signal signal = new Signal(name);
            SignalHandler[] previous = new SignalHandler[1];
            previous[0] = Signal.handle(signal, s -> {
                if (REQUESTED.compareAndSet(false, true)) {
                    System.err.println(System.lineSeparator()
                            + "stopping after the current step to save a checkpoint (Ctrl-C again to quit at once)");
                } else {
                    previous[0].handle(s);
                }
            });
        }
    }

    static boolean requested() {
        return REQUESTED.get();
    }
}
