package dev.danet.data;

import dev.danet.DanetException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/**
 * An endless stream of training batches, decoded and augmented by background threads that
 * stay a few batches ahead. The order and every random choice derive from (seed, epoch,
 * position) only, so a run is reproducible whatever the thread timing, and {@link #position()}
 * is all a checkpoint needs to resume the stream exactly.
 */
public final class BatchLoader implements AutoCloseable {

    /** Where the stream stands: the next batch is batch `batch` of epoch `epoch`. */
    public record Position(int epoch, int batch) {}

    private final SegmentationDataset dataset;
    private final int batchSize;
    private final long seed;
    private final BiFunction<LabeledImage, SplittableRandom, TrainSample> transform;
    private final BadSamples bad;
    private final int prefetch;
    private final ExecutorService workers;
    private final Deque<List<Future<TrainSample>>> inFlight = new ArrayDeque<>();
    private int epoch;
    private int batch;
    private int scheduledEpoch;
    private int scheduledBatch;
    private int[] order;
    private int orderEpoch = -1;

    public BatchLoader(SegmentationDataset dataset, int batchSize, long seed,
            BiFunction<LabeledImage, SplittableRandom, TrainSample> transform, BadSamples bad, int threads,
            Position start) {
        if (batchSize < 1 || batchSize > dataset.size()) {
            throw new DanetException(dataset.root() + ": batch size " + batchSize + " needs at least that many samples; split '"
                    + dataset.split() + "' has " + dataset.size());
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.seed = seed;
        this.transform = transform;
        this.bad = bad;
        this.prefetch = Math.max(2, threads);
        this.workers = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "danet-data");
            t.setDaemon(true);
            return t;
        });
        this.epoch = start.epoch();
        this.batch = start.batch();
        this.scheduledEpoch = epoch;
        this.scheduledBatch = batch;
    }

    /** Full batches per epoch (the remainder of an epoch is dropped, as the reference does). */
    public int batchesPerEpoch() {
        return dataset.size() / batchSize;
    }

    public Position position() {
        return new Position(epoch, batch);
    }

    /** The next batch; blocks until its samples are ready. */
    public Batch next() {
        while (inFlight.size() < prefetch) {
            schedule();
        }
        List<Future<TrainSample>> futures = inFlight.removeFirst();
        List<TrainSample> samples = new ArrayList<>(futures.size());
        for (Future<TrainSample> f : futures) {
            samples.add(await(f));
        }
        batch++;
        if (batch == batchesPerEpoch()) {
            batch = 0;
            epoch++;
        }
        return Batch.stack(samples);
    }

    private void schedule() {
        int[] epochOrder = order(scheduledEpoch);
        List<Future<TrainSample>> futures = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            int slot = scheduledBatch * batchSize + i;
            int epochOfSample = scheduledEpoch;
            futures.add(workers.submit(() -> produce(epochOrder, slot, epochOfSample)));
        }
        inFlight.addLast(futures);
        scheduledBatch++;
        if (scheduledBatch == batchesPerEpoch()) {
            scheduledBatch = 0;
            scheduledEpoch++;
        }
    }

    /** The sample for a slot; a bad sample is reported and the next one in the order used instead. */
    private TrainSample produce(int[] epochOrder, int slot, int sampleEpoch) {
        for (int attempt = 0; attempt < epochOrder.length; attempt++) {
            int index = epochOrder[(slot + attempt) % epochOrder.length];
            SplittableRandom random = new SplittableRandom(mix(seed, sampleEpoch, slot, attempt));
            LabeledImage sample;
            try {
                sample = dataset.load(index);
            } catch (DanetException e) {
                bad.report(e);
                continue;
            }
            try {
                return transform.apply(sample, random);
            } catch (DanetException e) {
                bad.report(new DanetException(dataset.sample(index).image() + ": " + e.getMessage(), e));
            }
        }
        throw new DanetException(dataset.root() + ": every sample of split '" + dataset.split() + "' is bad");
    }

    /** A seeded permutation of the samples for an epoch (the last one is cached). */
    private synchronized int[] order(int forEpoch) {
        if (forEpoch != orderEpoch) {
            int[] perm = new int[dataset.size()];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = i;
            }
            SplittableRandom random = new SplittableRandom(mix(seed, forEpoch, -1, 0));
            for (int i = perm.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            order = perm;
            orderEpoch = forEpoch;
        }
        return order;
    }

    private static long mix(long seed, int epoch, int slot, int attempt) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch;
        h = h * 0xBF58476D1CE4E5B9L + slot;
        h = h * 0x94D049BB133111EBL + attempt;
        return h ^ (h >>> 31);
    }

    private static TrainSample await(Future<TrainSample> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DanetException("interrupted while loading data", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DanetException d) {
                throw d;
            }
            throw new IllegalStateException("data loading failed", e.getCause());
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
