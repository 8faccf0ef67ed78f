package dev.danet.synth;

import dev.danet.IoProblems;
import dev.danet.DanetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a {@link ContextBenchmark} in the Cityscapes layout, so that {@code ./danet train} and
 * {@code eval} read it as they read the built-in scenes:
 * {@code root/leftImg8bit/{train,val}/ID/ID_000123_000019_leftImg8bit.png} (8-bit RGB),
 * {@code root/gtFine/{train,val}/ID/ID_000123_000019_gtFine_labelIds.png} (Cityscapes labelIds, 0 void)
 * and, last, {@code root/benchmark.json} ({@link BenchmarkManifest}). Deterministic for (benchmark,
 * options): each image depends on (seed, split, index) alone, whatever the thread count. A second call with
 * the same benchmark and options returns at once; files are written under temporary names and renamed.
 */
public final class ContextBenchmarks {

    /** Bumped whenever the pictures change, so old sets are regenerated. */
    public static final int GENERATOR_VERSION = 1;
    public static final String MANIFEST = "benchmark.json";

    /**
     * What a call did.
     *
     * @param root where the set is
     * @param benchmark which benchmark
     * @param trainImages images in train
     * @param valImages images in val
     * @param skipped true when the same set was already there and nothing was written
     * @param elapsed the call's wall time
     */
    public record Summary(Path root, ContextBenchmark benchmark, int trainImages, int valImages, boolean skipped,
                          Duration elapsed) {

        @Override
        public String toString() {
            return String.format("%s %d train + %d val images of the '%s' benchmark in %s (%.2f s)",
                    skipped ? "kept" : "wrote", trainImages, valImages, benchmark.id(), root, elapsed.toNanos() / 1e9);
        }
    }

    /**
     * One written image, as the manifest records it (the picture itself is not kept).
     *
     * @param objectPixels per object, its pixels in the label map (those with its label inside its box)
     */
    record ImageRecord(String split, int index, int pair, String cue, SyntheticClass contextClass,
                       List<BenchmarkObject> objects, long[] counts, long[] objectPixels) {

        static ImageRecord of(String split, int index, BenchmarkScene scene) {
            List<BenchmarkObject> objects = scene.objects();
            long[] objectPixels = new long[objects.size()];
            for (int k = 0; k < objects.size(); k++) {
                BenchmarkObject o = objects.get(k);
                int[] b = o.box();
                for (int y = b[1]; y < b[3]; y++) {
                    for (int x = b[0]; x < b[2]; x++) {
                        if (scene.labelId(x, y) == o.label().labelId()) {
                            objectPixels[k]++;
                        }
                    }
                }
            }
            return new ImageRecord(split, index, scene.pair(), scene.cue(), scene.contextClass(), objects,
                    scene.labelCounts(), objectPixels);
        }
    }

    private ContextBenchmarks() {}

    /** Where a benchmark goes by default: data/benchmarks/ID. */
    public static Path defaultRoot(ContextBenchmark benchmark) {
        return Path.of("data", "benchmarks", benchmark.id());
    }

    /** Generates the set using every core, or returns at once if it is already there. */
    public static Summary generate(Path root, ContextBenchmark benchmark, SyntheticScenes.Options options) {
        return generate(root, benchmark, options, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #generate(Path, ContextBenchmark, SyntheticScenes.Options)} with a given number of threads. */
    static Summary generate(Path root, ContextBenchmark benchmark, SyntheticScenes.Options options, int threads) {
        long start = System.nanoTime();
        boolean skipped = isComplete(root, benchmark, options);
        if (!skipped) {
            refuseOtherData(root, benchmark);
            GeneratedSet set = files(root, benchmark);
            set.<ImageRecord>write(options, threads, "benchmark", (split, i) -> writeImage(set, benchmark, options, split, i),
                    records -> BenchmarkManifest.json(benchmark, GENERATOR_VERSION, options, records));
        }
        return new Summary(root, benchmark, options.trainImages(), options.valImages(), skipped,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Paints one image (no files), as {@link #generate} writes it. */
    public static BenchmarkScene paint(ContextBenchmark benchmark, SyntheticScenes.Options options, String split,
                                       int index) {
        return benchmark.paint(options.seed(), split, index, options.height(), options.width());
    }

    public static Path imagePath(Path root, ContextBenchmark benchmark, String split, int index) {
        return files(root, benchmark).imagePath(split, index);
    }

    public static Path labelPath(Path root, ContextBenchmark benchmark, String split, int index) {
        return files(root, benchmark).labelPath(split, index);
    }

    private static GeneratedSet files(Path root, ContextBenchmark benchmark) {
        return new GeneratedSet(root, benchmark.id(), MANIFEST);
    }

    private static ImageRecord writeImage(GeneratedSet set, ContextBenchmark benchmark, SyntheticScenes.Options options,
                                          String split, int index) {
        BenchmarkScene scene = paint(benchmark, options, split, index);
        set.write(split, index, scene);
        return ImageRecord.of(split, index, scene);
    }

    /** Stops when the folder already holds other images in the Cityscapes layout: the reader would mix them in. */
    private static void refuseOtherData(Path root, ContextBenchmark benchmark) {
        for (String split : SyntheticScenes.SPLITS) {
            Path images = root.resolve("leftImg8bit").resolve(split);
            if (!Files.isDirectory(images)) {
                continue;
            }
            try (Stream<Path> cities = Files.list(images)) {
                List<String> others = cities.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                        .filter(name -> !name.equals(benchmark.id())).sorted().toList();
                if (!others.isEmpty()) {
                    throw new DanetException(root + ": already holds other images (" + images + "/" + others.get(0)
                            + "); write the '" + benchmark.id() + "' benchmark to an empty folder, e.g. "
                            + defaultRoot(benchmark));
                }
            } catch (IOException e) {
                throw new DanetException(images + ": cannot list: " + IoProblems.reason(e), e);
            }
        }
    }

    /** True when benchmark.json records this benchmark, these options and this version, and every file is there. */
    static boolean isComplete(Path root, ContextBenchmark benchmark, SyntheticScenes.Options options) {
        return files(root, benchmark).isComplete(GENERATOR_VERSION, options,
                manifest -> benchmark.id().equals(manifest.path("benchmark").asText()));
    }
}
