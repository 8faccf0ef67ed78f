package dev.danet.data;

import dev.danet.DanetException;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

/**
 * How many pixels of each class a split's labels hold, taken by decoding every sample (so a
 * census also finds the samples that cannot be read; they go to the {@link BadSamples} given).
 */
public final class ClassCensus {

    private final SegmentationDataset dataset;
    /** Pixels per class index, with the ignore label's count last (at {@code classes().size()}). */
    private final long[] pixels;
    private final double seconds;

    private ClassCensus(SegmentationDataset dataset, long[] pixels, double seconds) {
        this.dataset = dataset;
        this.pixels = pixels;
        this.seconds = seconds;
    }

    /** Decodes every sample of the split, in parallel; a bad sample is reported to bad. */
    public static ClassCensus take(SegmentationDataset dataset, BadSamples bad) {
        int ignoreSlot = dataset.classes().size();
        AtomicLongArray counted = new AtomicLongArray(ignoreSlot + 1);
        long start = System.nanoTime();
        IntStream.range(0, dataset.size()).parallel().forEach(i -> {
            try {
                long[] counts = new long[ignoreSlot + 1];
                for (int v : dataset.load(i).label().values()) {
                    counts[v == ClassSet.IGNORE ? ignoreSlot : v]++;
                }
                for (int c = 0; c < counts.length; c++) {
                    counted.addAndGet(c, counts[c]);
                }
            } catch (DanetException e) {
                bad.report(e);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] pixels = new long[counted.length()];
        for (int c = 0; c < pixels.length; c++) {
            pixels[c] = counted.get(c);
        }
        return new ClassCensus(dataset, pixels, seconds);
    }

    /** Pixels labelled with the class at this index of the dataset's class set. */
    public long pixels(int classIndex) {
        return pixels[classIndex];
    }

    /** Pixels labelled {@link ClassSet#IGNORE}. */
    public long ignoredPixels() {
        return pixels[dataset.classes().size()];
    }

    /** How long reading every sample took. */
    public double seconds() {
        return seconds;
    }

    /** Every pixel counted, the ignored ones included. */
    public long totalPixels() {
        long total = 0;
        for (long p : pixels) {
            total += p;
        }
        return total;
    }

    /**
     * Prints a header line (the split, its size and read time) and, for every class present (and
     * the ignore label), its share of all pixels.
     */
    public void print(PrintStream out) {
        ClassSet classes = dataset.classes();
        out.printf("%s (%s, split %s): %d samples, %d classes, read in %.1f s%n", dataset.root(),
                dataset.layoutId(), dataset.split(), dataset.size(), classes.size(), seconds);
        long total = totalPixels();
        for (int c = 0; c <= classes.size(); c++) {
            if (pixels[c] > 0) {
                out.printf("  %-20s %6.2f%%%n", c == classes.size() ? "(ignore)" : classes.names().get(c),
                        100.0 * pixels[c] / total);
            }
        }
    }
}
