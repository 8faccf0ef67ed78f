package dev.danet.spark;

import dev.danet.DanetException;
import picocli.CommandLine.Option;

/** The model and the inference flags of `./danet segment` / `./danet eval`, as a {@link ModelSpec}. */
final class InferenceSpecOptions {

    @Option(names = "--weights", required = true, paramLabel = "FILE",
            description = "The model file: a path every executor can read, or a file shipped with spark-submit --files.")
    String weights;

    @Option(names = "--scales", split = ",", paramLabel = "S,S,...", defaultValue = "1.0",
            description = "Test-time scales to run and combine (default: ${DEFAULT-VALUE}).")
    double[] scales;

    @Option(names = "--flip", description = "Also run the mirrored image and add its scores in.")
    boolean flip;

    @Option(names = "--crop", paramLabel = "N",
            description = "Sliding-window side (default: the model's published test recipe, else 512).")
    Integer crop;

    @Option(names = "--base-size", paramLabel = "N",
            description = "Resize so the long side is N at scale 1 (default: each image at its own size).")
    Integer baseSize;

    ModelSpec toSpec() {
        try {
            return new ModelSpec(weights, scales, flip, crop, baseSize);
        } catch (IllegalArgumentException e) {
            throw new DanetException(e.getMessage());
        }
    }
}
