package dev.danet.train;

import java.util.Map;

/**
 * One optimiser step, as logged.
 *
 * @param iteration steps done after this one (1-based)
 * @param totalIterations steps of the whole run
 * @param loss the weighted total loss
 * @param outputLosses each output's own loss, by name, in the outputs' order (see
 *        {@link dev.danet.nn.SegmentationOutputs})
 * @param lr backbone learning rate used
 * @param seconds wall time of the step: forward, backward and update
 * @param dataSeconds time spent waiting for the batch before the step
 * @param imagesPerSecond batch size / (seconds + dataSeconds)
 * @param gradNorm global gradient norm before any clipping
 */
public record StepRecord(int iteration, int totalIterations, double loss, Map<String, Double> outputLosses, double lr,
        double seconds, double dataSeconds, double imagesPerSecond, double gradNorm) {}
