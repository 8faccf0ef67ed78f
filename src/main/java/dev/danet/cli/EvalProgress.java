package dev.danet.cli;

import dev.danet.eval.Evaluator;
import java.io.PrintStream;
import java.util.Locale;

/** An evaluation's progress on stderr: one updating line on a terminal, else a line every tenth of the run. */
final class EvalProgress implements Evaluator.Progress, AutoCloseable {

    private final PrintStream err;
    private final boolean terminal = System.console() != null;
    private boolean open;

    EvalProgress(PrintStream err) {
        this.err = err;
    }

    @Override
    public void update(Evaluator.Status s) {
        String line = String.format(Locale.ROOT, "eval %d/%d  pixAcc %.4f  mIoU %.4f  %.2f s/image%s", s.done(),
                s.total(), s.pixelAccuracy(), s.miouAllClasses(), s.seconds() / s.done(),
                s.skipped() > 0 ? "  (" + s.skipped() + " skipped)" : "");
        if (terminal) {
            err.print("\r" + line);
            open = true;
        } else if (s.done() % Math.max(1, s.total() / 10) == 0 || s.done() + s.skipped() == s.total()) {
            err.println(line);
        }
    }

    @Override
    public void close() {
        if (open) {
            err.println();
        }
    }
}
