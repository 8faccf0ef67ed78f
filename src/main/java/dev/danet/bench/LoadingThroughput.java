package dev.danet.bench;

import dev.danet.data.Augmentation;
import dev.danet.data.BadSamples;
import dev.danet.data.BatchLoader;
import dev.danet.data.SegmentationDataset;

/**
 * How fast the training pipeline (decode, scale, crop, flip, normalise) delivers batches: the
 * loader's threads run as in training, and one batch is fetched untimed first so the threads
 * and the decoders are warm.
 *
 * @param images images delivered in the timed batches
 * @param seconds how long the timed batches took
 */
public record LoadingThroughput(long images, double seconds) {

    /** Times batches batches of the split, augmented as given, from workers loader threads. */
    public static LoadingThroughput measure(SegmentationDataset dataset, Augmentation augmentation, int batch,
            int workers, int batches, BadSamples bad) {
        try (BatchLoader loader = new BatchLoader(dataset, batch, 1, augmentation::apply, bad, workers,
                new BatchLoader.Position(0, 0))) {
            loader.next();
            long start = System.nanoTime();
            long images = 0;
            for (int i = 0; i < batches; i++) {
                images += loader.next().size();
            }
            return new LoadingThroughput(images, (System.nanoTime() - start) / 1e9);
        }
    }

    public double imagesPerSecond() {
        return images / seconds;
    }
}
