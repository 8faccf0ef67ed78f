package dev.danet.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.data.CityscapesLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
        boolean skipped = isComplete(root, options);
        if (!skipped) {
            GeneratedSet set = files(root);
            set.<ImageRecord>write(options, threads, "synthetic data", (split, i) -> writeImage(set, options, split, i),
                    records -> manifestJson(options, records));
        }
        return new Summary(root, options.trainImages(), options.valImages(), skipped,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Paints one image (no files), as {@link #generate} would write it. */
    public static PaintedScene paint(Options options, String split, int index) {
        return ScenePainter.paint(options.seed(), split, index, options.height(), options.width());
    }

    public static Path imagePath(Path root, String split, int index) {
        return files(root).imagePath(split, index);
    }

    public static Path labelPath(Path root, String split, int index) {
        return files(root).labelPath(split, index);
    }

    private static GeneratedSet files(Path root) {
        return new GeneratedSet(root, CITY, MANIFEST);
    }

    private record ImageRecord(String split, int index, SceneCues cues, int vehicles, int markingPixels, int[] markerBox,
                               long[] counts) {}

    private static ImageRecord writeImage(GeneratedSet set, Options options, String split, int index) {
        PaintedScene scene = paint(options, split, index);
        set.write(split, index, scene);
        return new ImageRecord(split, index, scene.cues(), scene.vehicles(), scene.markingPixels(), scene.markerBox(),
                scene.labelCounts());
    }

    /** True when synthetic.json records these options and this version and every file is there. */
    static boolean isComplete(Path root, Options options) {
        return files(root).isComplete(GENERATOR_VERSION, options, manifest -> true);
    }

    private static byte[] manifestJson(Options options, List<ImageRecord> records) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generator", SyntheticScenes.class.getName());
        root.put("generatorVersion", GENERATOR_VERSION);
        root.set("options", JSON.valueToTree(options));
        root.put("layout", "cityscapes");
        root.put("city", CITY);
        root.put("labels", "Cityscapes labelIds in *" + CityscapesLayout.LABEL_IDS_SUFFIX + "; 0 is void (ignored)");
        ManifestJson.putClasses(root);
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
            List<ImageRecord> rows = records.stream().filter(r -> r.split().equals(split)).toList();
            int n = rows.size();
            int cars = (int) rows.stream().filter(r -> r.cues().vehicleClass() == SyntheticClass.CAR).count();
            int roads = (int) rows.stream().filter(r -> r.cues().groundClass() == SyntheticClass.ROAD).count();
            ManifestJson.putFrequencies(frequencies.putObject(split), rows.stream().map(ImageRecord::counts).toList());
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
