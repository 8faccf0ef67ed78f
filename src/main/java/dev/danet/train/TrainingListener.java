package dev.danet.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a training run reports as it goes: the CLI draws a progress bar from it, and the plots
 * of a run ({@code viz.TrainingPlots}) are drawn by one.
 */
public interface TrainingListener {

    /** After each optimiser step. */
    default void step(StepRecord record) {}

    /** After each validation. */
    default void validated(int iteration, Map<String, Double> metrics) {}

    /** After each checkpoint of the run in runDir, with its training log so far ({@link TrainingLog} entries). */
    default void checkpointed(Path runDir, List<JsonNode> log) {}

    /** A line worth showing the user (resumes, checkpoints, warnings). */
    default void message(String text) {}

    /**
     * Asked after each step: true stops the run there, with a checkpoint to resume from
     * (the CLI answers true once the user pressed Ctrl-C or the process got SIGTERM).
     */
    default boolean stopRequested() {
        return false;
    }

    /** Every one of the listeners, in order; a stop is requested when any requests it. */
    static TrainingListener all(TrainingListener... listeners) {
        return new All(List.of(listeners));
    }

    /** {@link #all}'s listener; closing it closes the listeners that can be closed. */
    record All(List<TrainingListener> listeners) implements TrainingListener, AutoCloseable {

        @Override
        public void step(StepRecord record) {
            listeners.forEach(l -> l.step(record));
        }

        @Override
        public void validated(int iteration, Map<String, Double> metrics) {
            listeners.forEach(l -> l.validated(iteration, metrics));
        }

        @Override
        public void checkpointed(Path runDir, List<JsonNode> log) {
            listeners.forEach(l -> l.checkpointed(runDir, log));
        }

        @Override
        public void message(String text) {
            listeners.forEach(l -> l.message(text));
        }

        @Override
        public boolean stopRequested() {
            return listeners.stream().anyMatch(TrainingListener::stopRequested);
        }

        @Override
        public void close() throws Exception {
            for (TrainingListener l : listeners) {
                if (l instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            }
        }
    }
}
