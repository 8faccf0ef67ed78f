package dev.danet.cli;

import dev.danet.train.StepRecord;
import dev.danet.train.TrainingListener;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows a training run as a progress bar with loss, learning rate, speed and ETA. */
final class ProgressReporter implements TrainingListener, AutoCloseable {

    private final String label;
    private ProgressBar bar;
    private double smoothedLoss = Double.NaN;
    private String validation = "";

    ProgressReporter(String label) {
        this.label = label;
    }

    @Override
    public void step(StepRecord r) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(r.totalIterations())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                    .startsFrom(r.iteration() - 1, java.time.Duration.ZERO).build();
        }
        smoothedLoss = Double.isNaN(smoothedLoss) ? r.loss() : 0.9 * smoothedLoss + 0.1 * r.loss();
        bar.stepTo(r.iteration());
        bar.setExtraMessage(String.format(" loss %.3f lr %.2e %.1f img/s%s", smoothedLoss, r.lr(), r.imagesPerSecond(),
                validation));
    }

    @Override
    public boolean stopRequested() {
        return StopSignal.requested();
    }

    @Override
    public void validated(int iteration, Map<String, Double> metrics) {
        Double miou = metrics.get("mIoU_present");
        if (miou != null) {
            validation = String.format(" val mIoU(present) %.3f", miou);
        }
    }

    @Override
    public void message(String text) {
        System.err.println(text);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
