package dev.danet.cli;

import dev.danet.bench.BenchSweep;

/** One status line on stderr, rewritten in place; silent when stderr is not a terminal. */
final class StatusLine implements BenchSweep.Progress, AutoCloseable {

    private final boolean terminal = System.console() != null;

    @Override
    public void show(String text) {
        if (terminal) {
            System.err.print("\r" + text + "          ");
            System.err.flush();
        }
    }

    @Override
    public void clear() {
        if (terminal) {
            System.err.print("\r" + " ".repeat(40) + "\r");
            System.err.flush();
        }
    }

    @Override
    public void close() {
        clear();
    }
}
