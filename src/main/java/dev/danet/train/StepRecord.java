package dev.danet.train;

/**
 * One optimiser step, as logged.
 *
 * @param iteration steps done after this one (1-based)
 * @param totalIterations steps of the whole run
 * @param loss the weighted total loss
 * @param outputLosses each output's own loss
 * @param lr backbone learning rate used
 * @param seconds wall time of the step: forward, backward and update
 * @param dataSeconds time spent waiting for the batch before the step
 * @param imagesPerSecond batch size / (seconds + dataSeconds)
 * @param gradNorm global gradient norm before any clipping
 */
public record StepRecord(int iteration, int totalIterations, double loss, double[] outputLosses, double lr,
        double seconds, double dataSeconds, double imagesPerSecond, double gradNorm) {}
