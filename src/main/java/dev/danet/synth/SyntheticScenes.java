package dev.danet.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * The built-in dataset: deterministic synthetic street scenes written in the Cityscapes layout,
 * so that training and evaluation run on a fresh machine with no download.
 *
 * <h2>Layout</h2>
 * {@code root/leftImg8bit/{train,val}/synth/synth_000123_000019_leftImg8bit.png} (8-bit RGB) and
 * {@code root/gtFine/{train,val}/synth/synth_000123_000019_gtFine_labelIds.png} (8-bit grey,
 * Cityscapes labelIds: road 7, sidewalk 8, building 11, wall 12, fence 13, pole 17, traffic sign 20,
 * vegetation 21, terrain 22, sky 23, person 24, car 26, truck 27, bus 28, and 0 for void: the
 * bonnet of the recording car and black frame borders). {@code root/synthetic.json}, written
 * last, holds the options, the generator version, the classes, per-class pixel frequencies and
 * each image's cues; when it exists with the same options and version (and every image is
 * there) {@link #generate} returns at once. Every file is written under a temporary name and
 * renamed, so a killed run leaves no half-written image and no synthetic.json.
 *
 * <h2>Scenes</h2>
 * A camera looks down a street: sky with clouds, a hazy skyline, facades with windows or brick,
 * or a park behind a hedge, fence or wall; pavements, grass verges, a carriageway; street lamps,
 * road signs, trees, people, buses and vehicles, drawn far to near so near things occlude far
 * ones, sized by perspective. Each image gets a brightness and colour cast, a brightness
 * gradient and vignette, building shadows across the ground, a slight blur and sensor noise.
 * Picture and label map are painted with the same shapes (a pixel belongs to a shape when its
 * centre is inside); only the picture is blurred.
 *
 * <h2>Classes that need long-range context</h2>
 * Two choices per image make some pixels impossible to classify from their neighbourhood; the
 * evidence is elsewhere in the image, for an attention module to find:
 * <ul>
 *   <li><b>car or truck.</b> Every image has one or more "ambiguous vehicles", all drawn from one
 *       distribution of shapes, paints and textures whatever their class. In one image they all
 *       are car (26) or all truck (27); a zone sign near one side edge tells which (a blue disc
 *       with a car: car; a yellow diamond with a lorry: truck), and no ambiguous vehicle comes
 *       within {@value ScenePainter#MIN_CUE_GAP} of the image width of it (90 px at 256 wide).
 *       No other object is labelled car or truck.</li>
 *   <li><b>road or terrain.</b> The carriageway has one asphalt texture distribution. When lane
 *       markings are painted, far down the street only (the upper 36-46% of the ground between
 *       the horizon and the bottom edge), the whole surface is road (7); without markings it is
 *       terrain (22). The nearer half of the surface looks the same either way.</li>
 * </ul>
 * The painter draws every random number in the same order whatever the cues, so swapping a cue
 * changes only the zone sign's face (or the markings) and the labels. The cues are balanced: each
 * run of four indices holds the four combinations once ({@link SceneCues#balanced}).
 *
 * <p>Each image depends only on (seed, split, index), so the output is byte-identical whatever
 * the number of threads. See docs/synthetic-data.md.
 */
public final class SyntheticScenes {

    /** Bumped whenever the pictures change, so old sets are regenerated. */
    public static final int GENERATOR_VERSION = 1;
    /** The Cityscapes "city" folder. */
    public static final String CITY = "synth";
    public static final String MANIFEST = "synthetic.json";
    public static final List<String> SPLITS = List.of("train", "val");

    private static final String IMAGE_SUFFIX = "_leftImg8bit.png";
    private static final String LABEL_SUFFIX = "_gtFine_labelIds.png";
    private static final Pattern OWN_FILE = Pattern.compile(
            CITY + "_(\\d{6})_000019(" + Pattern.quote(IMAGE_SUFFIX) + "|" + Pattern.quote(LABEL_SUFFIX) + ")");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What to generate.
     *
     * @param trainImages images in the train split
     * @param valImages images in the val split
     * @param height rows per image (at least 32)
     * @param width columns per image (at least 32)
     * @param seed the seed every image derives its randomness from
     */
    public record Options(int trainImages, int valImages, int height, int width, long seed) {

        public Options {
            if (trainImages < 0 || valImages < 0 || trainImages > 999_999 || valImages > 999_999) {
                throw new IllegalArgumentException("image counts must be in 0..999999: " + trainImages + ", " + valImages);
            }
            if (height < 32 || width < 32 || height > 4096 || width > 4096) {
                throw new IllegalArgumentException("image size must be 32..4096: " + height + "x" + width);
            }
        }

        /** 300 train and 60 val images of 128x256, seed 1. */
        public static Options defaults() {
            return new Options(300, 60, 128, 256, 1);
        }

        public int images(String split) {
            return switch (split) {
                case "train" -> trainImages;
                case "val" -> valImages;
                default -> throw new IllegalArgumentException("unknown split " + split);
            };
        }
    }

    /**
     * What a call did.
     *
     * @param root where the set is
     * @param trainImages images in train
     * @param valImages images in val
     * @param skipped true when an identical set was already there and nothing was written
     * @param elapsed the call's wall time
     */
    public record Summary(Path root, int trainImages, int valImages, boolean skipped, Duration elapsed) {

        /** Image and label files in the set. */
        public int files() {
            return 2 * (trainImages + valImages);
        }

        @Override
        public String toString() {
            return String.format("%s %d train + %d val synthetic images in %s (%.2f s)",
                    skipped ? "kept" : "wrote", trainImages, valImages, root, elapsed.toNanos() / 1e9);
        }
    }

    private SyntheticScenes() {}

    /** Generates the set under root using every core, or returns at once if it is already there. */
    public static Summary generate(Path root, Options options) {
        return generate(root, options, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #generate(Path, Options)} with a given number of threads (the output does not depend on it). */
    static Summary generate(Path root, Options options, int threads) {
        long start = System.nanoTime();
        if (isComplete(root, options)) {
            return new Summary(root, options.trainImages(), options.valImages(), true, Duration.ofNanos(System.nanoTime() - start));
        }
        Path manifest = root.resolve(MANIFEST);
        try {
            // Without the manifest the set counts as incomplete until this run finishes.
            Files.deleteIfExists(manifest);
        } catch (IOException e) {
            throw new DanetException(manifest + ": cannot delete: " + e.getMessage(), e);
        }
        List<ImageRecord> records = new ArrayList<>();
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            for (String split : SPLITS) {
                int n = options.images(split);
                ImageRecord[] done = new ImageRecord[n];
                pool.submit(() -> IntStream.range(0, n).parallel()
                        .forEach(i -> done[i] = writeImage(root, options, split, i))).get();
                records.addAll(List.of(done));
                removeStale(root, split, n);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DanetException("synthetic data generation interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new DanetException("synthetic data generation failed: " + cause, cause);
        } finally {
            pool.shutdown();
        }
        byte[] json = manifestJson(options, records);
        AtomicFiles.write(manifest, out -> out.write(json));
        return new Summary(root, options.trainImages(), options.valImages(), false, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Paints one image (no files), as {@link #generate} would write it. */
    public static PaintedScene paint(Options options, String split, int index) {
        return ScenePainter.paint(options.seed(), split, index, options.height(), options.width());
    }

    public static Path imagePath(Path root, String split, int index) {
        return root.resolve("leftImg8bit").resolve(split).resolve(CITY).resolve(stem(index) + IMAGE_SUFFIX);
    }

    public static Path labelPath(Path root, String split, int index) {
        return root.resolve("gtFine").resolve(split).resolve(CITY).resolve(stem(index) + LABEL_SUFFIX);
    }

    private static String stem(int index) {
        return String.format("%s_%06d_000019", CITY, index);
    }

    private record ImageRecord(String split, int index, SceneCues cues, int vehicles, int markingPixels, int[] markerBox,
                               long[] counts) {}

    private static ImageRecord writeImage(Path root, Options options, String split, int index) {
        PaintedScene scene = paint(options, split, index);
        AtomicFiles.write(imagePath(root, split, index), out -> PngFiles.writeRgb(out, scene.width(), scene.height(), scene.rgb()));
        AtomicFiles.write(labelPath(root, split, index),
                out -> PngFiles.writeGrey(out, scene.width(), scene.height(), scene.labelIds()));
        return new ImageRecord(split, index, scene.cues(), scene.vehicles(), scene.markingPixels(), scene.markerBox(),
                scene.labelCounts());
    }

    /** Deletes this generator's files with an index at or past count (left by a larger earlier set). */
    private static void removeStale(Path root, String split, int count) {
        for (Path dir : List.of(root.resolve("leftImg8bit").resolve(split).resolve(CITY),
                root.resolve("gtFine").resolve(split).resolve(CITY))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Matcher m = OWN_FILE.matcher(file.getFileName().toString());
                    if (m.matches() && Integer.parseInt(m.group(1)) >= count) {
                        Files.deleteIfExists(file);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(dir + ": cannot clean: " + e.getMessage(), e);
            }
        }
    }

    /** True when synthetic.json records these options and this version and every file is there. */
    static boolean isComplete(Path root, Options options) {
        Path manifest = root.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(manifest.toFile());
            if (node.path("generatorVersion").asInt(-1) != GENERATOR_VERSION
                    || !options.equals(JSON.treeToValue(node.path("options"), Options.class))) {
                return false;
            }
        } catch (IOException | IllegalArgumentException e) {
            return false; // unreadable or foreign: regenerate
        }
        for (String split : SPLITS) {
            for (int i = 0; i < options.images(split); i++) {
                if (!Files.isRegularFile(imagePath(root, split, i)) || !Files.isRegularFile(labelPath(root, split, i))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static byte[] manifestJson(Options options, List<ImageRecord> records) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generator", SyntheticScenes.class.getName());
        root.put("generatorVersion", GENERATOR_VERSION);
        root.set("options", JSON.valueToTree(options));
        root.put("layout", "cityscapes");
        root.put("city", CITY);
        root.put("labels", "Cityscapes labelIds in *" + LABEL_SUFFIX + "; 0 is void (ignored)");
        ArrayNode classes = root.putArray("classes");
        for (SyntheticClass c : SyntheticClass.values()) {
            ObjectNode n = classes.addObject();
            n.put("name", c.cityscapesName());
            n.put("labelId", c.labelId());
            n.put("trainId", c.trainId());
        }
        ArrayNode ambiguities = root.putArray("ambiguities");
        ObjectNode vehicles = ambiguities.addObject();
        vehicles.put("classes", "car / truck");
        vehicles.put("cue", "zone sign near one side edge: blue disc = car, yellow diamond = truck; "
                + "no ambiguous vehicle within " + ScenePainter.MIN_CUE_GAP + " x width of it");
        ObjectNode ground = ambiguities.addObject();
        ground.put("classes", "road / terrain");
        ground.put("cue", "lane markings far down the street (upper part of the ground only): road; none: terrain");

        ObjectNode frequencies = root.putObject("pixelFrequencies");
        ObjectNode balance = root.putObject("balance");
        for (String split : SPLITS) {
            long[] counts = new long[256];
            int cars = 0;
            int roads = 0;
            int n = 0;
            for (ImageRecord r : records) {
                if (r.split().equals(split)) {
                    n++;
                    for (int i = 0; i < 256; i++) {
                        counts[i] += r.counts()[i];
                    }
                    cars += r.cues().vehicleClass() == SyntheticClass.CAR ? 1 : 0;
                    roads += r.cues().groundClass() == SyntheticClass.ROAD ? 1 : 0;
                }
            }
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            ObjectNode f = frequencies.putObject(split);
            for (SyntheticClass c : SyntheticClass.values()) {
                f.put(c.cityscapesName(), total == 0 ? 0 : Math.round(1e6 * counts[c.labelId()] / (double) total) / 1e6);
            }
            ObjectNode b = balance.putObject(split);
            b.put("carImages", cars);
            b.put("truckImages", n - cars);
            b.put("roadImages", roads);
            b.put("terrainImages", n - roads);
        }
        ArrayNode images = root.putArray("images");
        for (ImageRecord r : records) {
            ObjectNode n = images.addObject();
            n.put("split", r.split());
            n.put("index", r.index());
            n.put("vehicleClass", r.cues().vehicleClass().cityscapesName());
            n.put("groundClass", r.cues().groundClass().cityscapesName());
            n.put("vehicles", r.vehicles());
            n.put("markingPixels", r.markingPixels());
            ArrayNode box = n.putArray("markerBox");
            for (int v : r.markerBox()) {
                box.add(v);
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
