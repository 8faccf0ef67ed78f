package dev.danet.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.DanetException;
import dev.danet.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
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

    private static final String IMAGE_SUFFIX = "_leftImg8bit.png";
    private static final String LABEL_SUFFIX = "_gtFine_labelIds.png";
    private static final ObjectMapper JSON = new ObjectMapper();

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
        if (isComplete(root, benchmark, options)) {
            return new Summary(root, benchmark, options.trainImages(), options.valImages(), true,
                    Duration.ofNanos(System.nanoTime() - start));
        }
        refuseOtherData(root, benchmark);
        Path manifest = root.resolve(MANIFEST);
        try {
            Files.deleteIfExists(manifest); // incomplete until this run has written every image
        } catch (IOException e) {
            throw new DanetException(manifest + ": cannot delete: " + e.getMessage(), e);
        }
        List<ImageRecord> records = new ArrayList<>();
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            for (String split : SyntheticScenes.SPLITS) {
                int n = options.images(split);
                ImageRecord[] done = new ImageRecord[n];
                pool.submit(() -> IntStream.range(0, n).parallel()
                        .forEach(i -> done[i] = writeImage(root, benchmark, options, split, i))).get();
                records.addAll(List.of(done));
                removeStale(root, benchmark, split, n);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DanetException("benchmark generation interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new DanetException("benchmark generation failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdown();
        }
        byte[] json = BenchmarkManifest.json(benchmark, GENERATOR_VERSION, options, records);
        AtomicFiles.write(manifest, out -> out.write(json));
        return new Summary(root, benchmark, options.trainImages(), options.valImages(), false,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Paints one image (no files), as {@link #generate} writes it. */
    public static BenchmarkScene paint(ContextBenchmark benchmark, SyntheticScenes.Options options, String split,
                                       int index) {
        return benchmark.paint(options.seed(), split, index, options.height(), options.width());
    }

    public static Path imagePath(Path root, ContextBenchmark benchmark, String split, int index) {
        return root.resolve("leftImg8bit").resolve(split).resolve(benchmark.id())
                .resolve(stem(benchmark, index) + IMAGE_SUFFIX);
    }

    public static Path labelPath(Path root, ContextBenchmark benchmark, String split, int index) {
        return root.resolve("gtFine").resolve(split).resolve(benchmark.id()).resolve(stem(benchmark, index) + LABEL_SUFFIX);
    }

    private static String stem(ContextBenchmark benchmark, int index) {
        return String.format("%s_%06d_000019", benchmark.id(), index);
    }

    private static ImageRecord writeImage(Path root, ContextBenchmark benchmark, SyntheticScenes.Options options,
                                          String split, int index) {
        BenchmarkScene scene = paint(benchmark, options, split, index);
        AtomicFiles.write(imagePath(root, benchmark, split, index),
                out -> PngFiles.writeRgb(out, scene.width(), scene.height(), scene.rgb()));
        AtomicFiles.write(labelPath(root, benchmark, split, index),
                out -> PngFiles.writeGrey(out, scene.width(), scene.height(), scene.labelIds()));
        return ImageRecord.of(split, index, scene);
    }

    /** Deletes this benchmark's files with an index at or past count (left by a larger earlier set). */
    private static void removeStale(Path root, ContextBenchmark benchmark, String split, int count) {
        Pattern own = Pattern.compile(Pattern.quote(benchmark.id()) + "_(\\d{6})_000019("
                + Pattern.quote(IMAGE_SUFFIX) + "|" + Pattern.quote(LABEL_SUFFIX) + ")");
        for (Path dir : List.of(root.resolve("leftImg8bit").resolve(split).resolve(benchmark.id()),
                root.resolve("gtFine").resolve(split).resolve(benchmark.id()))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Matcher m = own.matcher(file.getFileName().toString());
                    if (m.matches() && Integer.parseInt(m.group(1)) >= count) {
                        Files.deleteIfExists(file);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(dir + ": cannot clean: " + e.getMessage(), e);
            }
        }
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
                throw new DanetException(images + ": cannot list: " + e.getMessage(), e);
            }
        }
    }

    /** True when benchmark.json records this benchmark, these options and this version, and every file is there. */
    static boolean isComplete(Path root, ContextBenchmark benchmark, SyntheticScenes.Options options) {
        Path manifest = root.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(manifest.toFile());
            if (node.path("generatorVersion").asInt(-1) != GENERATOR_VERSION
                    || !benchmark.id().equals(node.path("benchmark").asText())
                    || !options.equals(JSON.treeToValue(node.path("options"), SyntheticScenes.Options.class))) {
                return false;
            }
        } catch (IOException | IllegalArgumentException e) {
            return false; // unreadable or foreign: regenerate
        }
        for (String split : SyntheticScenes.SPLITS) {
            for (int i = 0; i < options.images(split); i++) {
                if (!Files.isRegularFile(imagePath(root, benchmark, split, i))
                        || !Files.isRegularFile(labelPath(root, benchmark, split, i))) {
                    return false;
                }
            }
        }
        return true;
    }
}
