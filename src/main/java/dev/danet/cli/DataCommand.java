package dev.danet.cli;

import dev.danet.data.Augmentation;
import dev.danet.data.BadSamples;
import dev.danet.data.Batch;
import dev.danet.data.BatchLoader;
import dev.danet.synth.BenchmarkMontage;
import dev.danet.data.ClassSet;
import dev.danet.synth.ContextBenchmark;
import dev.danet.synth.ContextBenchmarks;
import dev.danet.data.LabeledImage;
import dev.danet.data.SegmentationDataset;
import dev.danet.synth.SyntheticScenes;
import dev.danet.DanetException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Dataset tools: make the synthetic set or a context benchmark, list the benchmarks, check a dataset, measure loading throughput. */
@Command(name = "data",
        mixinStandardHelpOptions = true,
        description = "Make the synthetic scene set or a context benchmark, check a dataset, or measure data-loading speed.",
        subcommands = {DataCommand.Synth.class, DataCommand.Benchmarks.class, DataCommand.Check.class, DataCommand.Bench.class})
final class DataCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = {"Generate the built-in synthetic street scenes, or with --benchmark one of the held-out context "
                    + "benchmarks (Cityscapes layout; list them with: ./danet data benchmarks).",
                "Deterministic for a seed; skipped when the folder already holds the same set."})
    static final class Synth implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR",
                description = "Where to write (default: data/synthetic, or data/benchmarks/NAME with --benchmark).")
        Path out;

        @Option(names = "--benchmark", paramLabel = "NAME",
                description = "A context benchmark instead of the built-in scenes: weather, sign, pairing, control or scale.")
        String benchmark;

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
            SyntheticScenes.Options options = options(train, val, size, seed);
            if (benchmark == null) {
                System.out.println(SyntheticScenes.generate(out != null ? out : DataOptions.DEFAULT_SYNTHETIC, options));
                return 0;
            }
            ContextBenchmark b = ContextBenchmark.parse(benchmark);
            System.out.println(ContextBenchmarks.generate(out != null ? out : ContextBenchmarks.defaultRoot(b), b, options));
            return 0;
        }
    }

    /** The set's options from the flags, the defaults where a flag is absent. */
    static SyntheticScenes.Options options(Integer train, Integer val, String size, Long seed) {
        SyntheticScenes.Options d = SyntheticScenes.Options.defaults();
        int[] hw = size == null ? new int[] {d.height(), d.width()} : Sizes.parse(size, "--size");
        try {
            return new SyntheticScenes.Options(train != null ? train : d.trainImages(), val != null ? val : d.valImages(),
                    hw[0], hw[1], seed != null ? seed : d.seed());
        } catch (IllegalArgumentException e) {
            throw new DanetException(e.getMessage());
        }
    }

    @Command(name = "benchmarks", mixinStandardHelpOptions = true,
            description = {"List the context benchmarks: what decides their classes and how far away it is.",
                "With --pictures DIR, also draw one picture per benchmark (two twin pairs of train, photo and labels)."})
    static final class Benchmarks implements Callable<Integer> {
        @Option(names = "--pictures", paramLabel = "DIR",
                description = "Write DIR/context-NAME.png for every benchmark (docs/images holds the committed ones).")
        Path pictures;

        @Option(names = "--pairs", defaultValue = "0,1", split = ",", paramLabel = "K,K",
                description = "Twin pairs to draw (pair K is train images 2K and 2K+1; default: ${DEFAULT-VALUE}).")
        List<Integer> pairs;

        @Override
        public Integer call() {
            for (ContextBenchmark b : ContextBenchmark.values()) {
                System.out.printf("%-8s %s%n", b.id(), b.kind());
                System.out.printf("         rule: %s%n", b.rule());
                System.out.printf("         cue:  %s%n", b.cue());
                System.out.printf("         context-decided classes: %s%n", b.contextClasses().isEmpty() ? "none"
                        : String.join(", ", b.contextClasses().stream().map(c -> c.cityscapesName()).toList()));
            }
            System.out.println("make one: ./danet data synth --benchmark NAME [--out DIR] (default data/benchmarks/NAME)");
            if (pictures != null) {
                if (pairs.stream().anyMatch(k -> k < 0 || 2 * k + 1 >= SyntheticScenes.Options.defaults().trainImages())) {
                    throw new DanetException("--pairs must be in 0.." + (SyntheticScenes.Options.defaults().trainImages() / 2 - 1)
                            + ", got " + pairs);
                }
                for (ContextBenchmark b : ContextBenchmark.values()) {
                    Path file = pictures.resolve("context-" + b.id() + ".png");
                    BenchmarkMontage.write(file, b, SyntheticScenes.Options.defaults(), "train", pairs);
                    System.out.println("wrote " + file);
                }
            }
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
