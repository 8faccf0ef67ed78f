package dev.danet.cli;

import dev.danet.bench.LoadingThroughput;
import dev.danet.data.Augmentation;
import dev.danet.data.BadSamples;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `data bench`: how many training images per second the loading pipeline delivers. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training-pipeline throughput (decode, scale, crop, flip, normalise) in images/s.")
final class DataBenchCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--crop", defaultValue = "512", description = "Crop size (default: ${DEFAULT-VALUE}).")
    int crop;

    @Option(names = "--base-size", paramLabel = "PX",
            description = "Short side at scale 1 (default: the crop size).")
    Integer baseSize;

    @Option(names = "--batch", defaultValue = "4", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--workers", defaultValue = "2", description = "Loader threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--batches", defaultValue = "50", description = "Batches to time (default: ${DEFAULT-VALUE}).")
    int batches;

    @Override
    public Integer call() {
        BadSamples bad = data.badSamples();
        Augmentation augmentation = new Augmentation(crop, baseSize != null ? baseSize : crop, 0.75, 2.0, true);
        LoadingThroughput measured = LoadingThroughput.measure(data.open("train", bad, System.err), augmentation,
                batch, workers, batches, bad);
        System.out.printf("%d images at crop %d in %.2f s: %.1f images/s (%d loader threads, %d cores)%n",
                measured.images(), crop, measured.seconds(), measured.imagesPerSecond(), workers,
                Runtime.getRuntime().availableProcessors());
        return 0;
    }
}
