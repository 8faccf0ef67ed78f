package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.inference.InferenceOptions;
import dev.danet.inference.WindowBudget;
import java.io.Serializable;
import picocli.CommandLine.Option;

/**
 * The bounds on one image of the segmenting commands (`segment`, `spark segment`): its pixels,
 * read from the header before decoding, and the model runs its size takes. Serializable so that
 * a Spark job sends them to its executors; a new one holds the defaults.
 */
public final class ImageLimits implements Serializable {

    private static final long serialVersionUID = 1L;

    @Option(names = "--max-pixels", paramLabel = "N",
            description = "Refuse images with more pixels than this, read from the header before decoding"
                    + " (default: ${DEFAULT-VALUE}).")
    long maxPixels = 25_000_000;

    @Option(names = "--max-windows", paramLabel = "N",
            description = "Refuse images that take more model runs (sliding windows over all scales, flips counted)"
                    + " than this: a thin strip is padded to whole windows (default: twice what a square image of"
                    + " --max-pixels takes).")
    Long maxWindows;

    /**
     * The pixel bound.
     *
     * @throws DanetException when either flag is not positive
     */
    public long maxPixels() {
        if (maxPixels < 1) {
            throw new DanetException("--max-pixels must be positive, got " + maxPixels);
        }
        if (maxWindows != null && maxWindows < 1) {
            throw new DanetException("--max-windows must be positive, got " + maxWindows);
        }
        return maxPixels;
    }

    /** The bound on model runs per image when images run with these options. */
    public WindowBudget windows(InferenceOptions options) {
        return maxWindows != null ? new WindowBudget(options, maxWindows)
                : WindowBudget.forPixelLimit(options, maxPixels());
    }
}
