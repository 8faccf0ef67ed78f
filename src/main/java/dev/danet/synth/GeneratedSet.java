package dev.danet.synth;

import dev.danet.IoProblems;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.DanetException;
import dev.danet.data.CityscapesLayout;
import dev.danet.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A generated set on disk, in the Cityscapes layout that {@link CityscapesLayout} reads:
 * {@code root/leftImg8bit/SPLIT/CITY/CITY_000123_000019_leftImg8bit.png} (8-bit RGB),
 * {@code root/gtFine/SPLIT/CITY/CITY_000123_000019_gtFine_labelIds.png} (8-bit grey, Cityscapes
 * labelIds) and, written last, a manifest. Every file is written under a temporary name and renamed,
 * so a killed run leaves no half-written image and no manifest.
 */
final class GeneratedSet {

    /** Writes one image's files and returns what the manifest records about it. */
    @FunctionalInterface
    interface ImageWriter<R> {
        R write(String split, int index);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final String city;
    private final String manifest;
    private final Pattern ownFile;

    /** The set under root whose images are in the "city" folder {@code city}, with the manifest file {@code manifest}. */
    GeneratedSet(Path root, String city, String manifest) {
        this.root = root;
        this.city = city;
        this.manifest = manifest;
        this.ownFile = Pattern.compile(Pattern.quote(city) + "_(\\d{6})_000019(" + Pattern.quote(CityscapesLayout.IMAGE_SUFFIX)
                + "|" + Pattern.quote(CityscapesLayout.LABEL_IDS_SUFFIX) + ")");
    }

    Path imagePath(String split, int index) {
        return root.resolve("leftImg8bit").resolve(split).resolve(city).resolve(stem(index) + CityscapesLayout.IMAGE_SUFFIX);
    }

    Path labelPath(String split, int index) {
        return root.resolve("gtFine").resolve(split).resolve(city).resolve(stem(index) + CityscapesLayout.LABEL_IDS_SUFFIX);
    }

    private String stem(int index) {
        return String.format("%s_%06d_000019", city, index);
    }

    /** Writes a painted image and its labels. */
    void write(String split, int index, SceneImage scene) {
        AtomicFiles.write(imagePath(split, index), out -> PngFiles.writeRgb(out, scene.width(), scene.height(), scene.rgb()));
        AtomicFiles.write(labelPath(split, index),
                out -> PngFiles.writeGrey(out, scene.width(), scene.height(), scene.labelIds()));
    }

    /**
     * Writes every image of both splits in a pool of {@code threads} (the files do not depend on it), deletes
     * this set's files past the new counts, and writes the manifest, last, from what the images returned. The
     * manifest is deleted first: until this run is done the set counts as incomplete.
     *
     * @param what the set in words, for errors: "{what} generation failed"
     */
    <R> void write(SyntheticScenes.Options options, int threads, String what, ImageWriter<R> image,
                   Function<List<R>, byte[]> manifestJson) {
        Path manifestFile = root.resolve(manifest);
        try {
            Files.deleteIfExists(manifestFile);
        } catch (IOException e) {
            throw new DanetException(manifestFile + ": cannot delete: " + IoProblems.reason(e), e);
        }
        List<R> records = new ArrayList<>();
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            for (String split : SyntheticScenes.SPLITS) {
                int n = options.images(split);
                AtomicReferenceArray<R> done = new AtomicReferenceArray<>(n);
                pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> done.set(i, image.write(split, i)))).get();
                for (int i = 0; i < n; i++) {
                    records.add(done.get(i));
                }
                removeStale(split, n);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DanetException(what + " generation interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new DanetException(what + " generation failed: " + cause, cause);
        } finally {
            pool.shutdown();
        }
        byte[] json = manifestJson.apply(records);
        AtomicFiles.write(manifestFile, out -> out.write(json));
    }

    /**
     * True when the manifest records this generator version and these options (and whatever else
     * {@code recordsAlso} checks) and every image and label file is there.
     */
    boolean isComplete(int version, SyntheticScenes.Options options, Predicate<JsonNode> recordsAlso) {
        Path manifestFile = root.resolve(manifest);
        if (!Files.isRegularFile(manifestFile)) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(manifestFile.toFile());
            if (node.path("generatorVersion").asInt(-1) != version || !recordsAlso.test(node)
                    || !options.equals(JSON.treeToValue(node.path("options"), SyntheticScenes.Options.class))) {
                return false;
            }
        } catch (IOException | IllegalArgumentException e) {
            return false; // unreadable or foreign: regenerate
        }
        for (String split : SyntheticScenes.SPLITS) {
            for (int i = 0; i < options.images(split); i++) {
                if (!Files.isRegularFile(imagePath(split, i)) || !Files.isRegularFile(labelPath(split, i))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Deletes this set's files with an index at or past count (left by a larger earlier set); other files stay. */
    private void removeStale(String split, int count) {
        for (Path dir : List.of(root.resolve("leftImg8bit").resolve(split).resolve(city),
                root.resolve("gtFine").resolve(split).resolve(city))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Matcher m = ownFile.matcher(file.getFileName().toString());
                    if (m.matches() && Integer.parseInt(m.group(1)) >= count) {
                        Files.deleteIfExists(file);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(dir + ": cannot clean: " + IoProblems.reason(e), e);
            }
        }
    }
}
