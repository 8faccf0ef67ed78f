package dev.danet.cli;

import dev.danet.data.Augmentation;
import dev.danet.data.BadSamples;
import dev.danet.data.Batch;
import dev.danet.data.BatchLoader;
import dev.danet.data.ClassSet;
import dev.danet.data.LabeledImage;
import dev.danet.data.SegmentationDataset;
import dev.danet.data.SyntheticScenes;
import dev.danet.DanetException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Dataset tools: make the synthetic set, check a dataset, measure loading throughput. */
@Command(name = "data",
        mixinStandardHelpOptions = true,
        description = "Make the synthetic scene set, check a dataset, or measure data-loading speed.",
        subcommands = {DataCommand.Synth.class, DataCommand.Check.class, DataCommand.Bench.class})
final class DataCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = {"Generate the built-in synthetic street scenes (Cityscapes layout).",
                "Deterministic for a seed; skipped when the folder already holds the same set."})
    static final class Synth implements Callable<Integer> {
        @Option(names = "--out", defaultValue = "data/synthetic", paramLabel = "DIR",
                description = "Where to write (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--train", paramLabel = "N", description = "Training images (default: 300).")
        Integer train;

        @Option(names = "--val", paramLabel = "N", description = "Validation images (default: 60).")
        Integer val;

        @Option(names = "--size", paramLabel = "HxW", description = "Image size (default: 128x256).")
        String size;

        @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: 1).")
        Long seed;

        @Override
        public Integer call() {
            SyntheticScenes.Options d = SyntheticScenes.Options.defaults();
            int[] hw = size == null ? new int[] {d.height(), d.width()} : Sizes.parse(size, "--size");
            SyntheticScenes.Options options = new SyntheticScenes.Options(train != null ? train : d.trainImages(),
                    val != null ? val : d.valImages(), hw[0], hw[1], seed != null ? seed : d.seed());
            System.out.println(SyntheticScenes.generate(out, options));
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Decode every sample of a split and report its classes and any bad samples.",
                "Exits 2 when a sample is bad (with --skip-bad: lists them all first)."})
    static final class Check implements Callable<Integer> {
        @Mixin
        DataOptions data;

        @Option(names = "--split", defaultValue = "train", description = "Split (default: ${DEFAULT-VALUE}).")
        String split;

        @Override
        public Integer call() {
            BadSamples bad = data.badSamples();
            SegmentationDataset dataset = data.open(split, bad, System.err);
            ClassSet classes = dataset.classes();
            AtomicLongArray pixels = new AtomicLongArray(classes.size() + 1);
            long start = System.nanoTime();
            IntStream.range(0, dataset.size()).parallel().forEach(i -> {
                try {
                    LabeledImage sample = dataset.load(i);
                    long[] counts = new long[classes.size() + 1];
                    for (int v : sample.label().values()) {
                        counts[v == ClassSet.IGNORE ? classes.size() : v]++;
                    }
                    for (int c = 0; c < counts.length; c++) {
                        pixels.addAndGet(c, counts[c]);
                    }
                } catch (DanetException e) {
                    bad.report(e);
                }
            });
            long total = 0;
            for (int c = 0; c < pixels.length(); c++) {
                total += pixels.get(c);
            }
            System.out.printf("%s (%s, split %s): %d samples, %d classes, read in %.1f s%n", dataset.root(),
                    dataset.layoutId(), split, dataset.size(), classes.size(), (System.nanoTime() - start) / 1e9);
            for (int c = 0; c <= classes.size(); c++) {
                if (pixels.get(c) > 0) {
                    System.out.printf("  %-20s %6.2f%%%n", c == classes.size() ? "(ignore)" : classes.names().get(c),
                            100.0 * pixels.get(c) / total);
                }
            }
            List<String> problems = bad.problems();
            problems.forEach(p -> System.out.println("bad sample: " + p));
            return problems.isEmpty() ? 0 : 2;
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Measure training-pipeline throughput (decode, scale, crop, flip, normalise) in images/s.")
    static final class Bench implements Callable<Integer> {
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
            SegmentationDataset dataset = data.open("train", bad, System.err);
            Augmentation augmentation = new Augmentation(crop, baseSize != null ? baseSize : crop, 0.75, 2.0, true);
            try (BatchLoader loader = new BatchLoader(dataset, batch, 1, augmentation::apply, bad, workers,
                    new BatchLoader.Position(0, 0))) {
                loader.next();
                long start = System.nanoTime();
                long images = 0;
                for (int i = 0; i < batches; i++) {
                    Batch b = loader.next();
                    images += b.size();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%d images at crop %d in %.2f s: %.1f images/s (%d loader threads, %d cores)%n",
                        images, crop, seconds, images / seconds, workers, Runtime.getRuntime().availableProcessors());
            }
            return 0;
        }
    }
}
