package dev.danet.cli;

import dev.danet.weights.DownloadProgress;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A download as a progress bar in MB with speed and ETA on a terminal; elsewhere (a log, a
 * pipe) one summary line, so logs stay readable.
 */
final class DownloadBar implements DownloadProgress {

    private final PrintStream log;
    private final boolean terminal = System.console() != null;
    private ProgressBar bar;
    private long startedAt;
    private long first;
    private long last;

    DownloadBar(PrintStream log) {
        this.log = log;
    }

    @Override
    public void started(long have, long total) {
        startedAt = System.nanoTime();
        first = have;
        last = have;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName("download").setInitialMax(total).setUnit("MB", 1_000_000)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                    .startsFrom(have, java.time.Duration.ZERO).build();
        }
    }

    @Override
    public void advanced(long bytes) {
        last = bytes;
        if (bar != null) {
            bar.stepTo(bytes);
        }
    }

    @Override
    public void stopped() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - startedAt) / 1e9);
        log.printf(Locale.ROOT, "received %.1f MB in %.1f s (%.1f MB/s)%n", (last - first) / 1e6, seconds,
                (last - first) / 1e6 / seconds);
    }
}
