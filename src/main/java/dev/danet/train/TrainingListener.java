package dev.danet.train;

import java.util.Map;

/** What a training run reports as it goes (the CLI draws a progress bar from it). */
public interface TrainingListener {

    /** After each optimiser step. */
    default void step(StepRecord record) {}

    /** After each validation. */
    default void validated(int iteration, Map<String, Double> metrics) {}

    /** A line worth showing the user (resumes, checkpoints, warnings). */
    default void message(String text) {}

    /**
     * Asked after each step: true stops the run there, with a checkpoint to resume from
     * (the CLI answers true once the user pressed Ctrl-C or the process got SIGTERM).
     */
    default boolean stopRequested() {
        return false;
    }
}
