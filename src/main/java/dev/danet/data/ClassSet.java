package dev.danet.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The classes of a dataset or a model: names and display colours by class index. A dataset's
 * label pixels hold a class index or {@link #IGNORE}.
 *
 * @param name the dataset family, e.g. "cityscapes"
 * @param names class names by index
 * @param colours packed 0xRRGGBB colour by index
 */
public record ClassSet(String name, List<String> names, int[] colours) {

    /** The label of pixels that are neither trained on nor scored. */
    public static final int IGNORE = 255;
    /**
     * The most classes a model may predict: its label image is 16-bit beyond 255 classes. A
     * dataset's labels are 8-bit with {@link #IGNORE}, so a dataset has at most 255.
     */
    public static final int MAX_CLASSES = 65535;

    public ClassSet {
        names = List.copyOf(names);
        if (names.isEmpty() || names.size() > MAX_CLASSES) {
            throw new IllegalArgumentException(name + ": " + names.size() + " classes; 1 to " + MAX_CLASSES
                    + " are supported");
        }
        if (colours.length != names.size()) {
            throw new IllegalArgumentException(name + ": " + colours.length + " colours for " + names.size() + " classes");
        }
    }

    public int size() {
        return names.size();
    }

    /** Pixels per class in a label array (labels outside 0..size()-1 are not counted). */
    public long[] pixelCounts(int[] labels) {
        long[] counts = new long[size()];
        for (int label : labels) {
            if (label >= 0 && label < counts.length) {
                counts[label]++;
            }
        }
        return counts;
    }

    public static ClassSet cityscapes() {
        return new ClassSet("cityscapes", List.of("road", "sidewalk", "building", "wall", "fence", "pole",
                "traffic light", "traffic sign", "vegetation", "terrain", "sky", "person", "rider", "car", "truck",
                "bus", "train", "motorcycle", "bicycle"), new int[] {
                    0x804080, 0xf423e8, 0x464646, 0x66669c, 0xbe9999, 0x999999, 0xfaaa1e, 0xdcdc00, 0x6b8e23,
                    0x98fb98, 0x4682b4, 0xdc143c, 0xff0000, 0x00008e, 0x000046, 0x003c64, 0x005064, 0x0000e6,
                    0x770b20});
    }

    public static ClassSet voc() {
        List<String> names = List.of("background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car",
                "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep",
                "sofa", "train", "tvmonitor");
        return new ClassSet("voc", names, vocColours(0, names.size()));
    }

    public static ClassSet pascalContext() {
        return fromResource("pascal-context", "pascal-context.txt", 59);
    }

    /** PASCAL Context with its background as class 0 (mmseg's PascalContextDataset); same colours by name. */
    public static ClassSet pascalContext60() {
        List<String> names = new ArrayList<>();
        names.add("background");
        names.addAll(pascalContext().names());
        return new ClassSet("pascal-context-60", names, vocColours(0, names.size()));
    }

    public static ClassSet ade20k() {
        return fromResource("ade20k", "ade20k.txt", 150);
    }

    public static ClassSet cocoStuff() {
        return fromResource("coco-stuff", "coco-stuff.txt", 171);
    }

    /**
     * The classes a model predicts: the names saved with it when there are as many as the model
     * has outputs (a known dataset's names get that dataset's colours, others the VOC colours
     * from 1 as a class list file gives them); otherwise the known dataset with that many classes
     * (19 Cityscapes, 21 VOC, 59 or 60 PASCAL Context, 150 ADE20K, 171 COCO-Stuff), else "class i"
     * names with VOC colours.
     */
    public static ClassSet forModel(List<String> names, int classes) {
        if (classes < 1 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException(classes + " classes; 1 to " + MAX_CLASSES + " are supported");
        }
        boolean named = names != null && names.size() == classes;
        for (java.util.function.Supplier<ClassSet> known : List.<java.util.function.Supplier<ClassSet>>of(
                ClassSet::cityscapes, ClassSet::voc, ClassSet::pascalContext, ClassSet::pascalContext60, ClassSet::ade20k,
                ClassSet::cocoStuff)) {
            ClassSet set = known.get();
            if (set.size() == classes && (!named || set.names().equals(names))) {
                return set;
            }
        }
        if (named) {
            return new ClassSet("model", names, vocColours(1, classes));
        }
        List<String> generic = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            generic.add("class " + i);
        }
        return new ClassSet("generic", generic, vocColours(1, classes));
    }

    /**
     * The standard PASCAL VOC colour map for labels first..first+count-1: the bits of the label
     * are spread over the high bits of R, G and B in turn.
     */
    public static int[] vocColours(int first, int count) {
        int[] colours = new int[count];
        for (int i = 0; i < count; i++) {
            int label = first + i;
            int r = 0;
            int g = 0;
            int b = 0;
            for (int bit = 7; label > 0; bit--) {
                r |= (label & 1) << bit;
                g |= ((label >> 1) & 1) << bit;
                b |= ((label >> 2) & 1) << bit;
                label >>= 3;
            }
            colours[i] = (r << 16) | (g << 8) | b;
        }
        return colours;
    }

    static List<String> readLines(String resource) {
        InputStream in = ClassSet.class.getResourceAsStream("classes/" + resource);
        if (in == null) {
            throw new IllegalStateException("missing resource classes/" + resource);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ClassSet fromResource(String name, String resource, int expected) {
        List<String> names = readLines(resource);
        if (names.size() != expected) {
            throw new IllegalStateException(resource + " lists " + names.size() + " classes, expected " + expected);
        }
        // VOC colours from 1 so that no class is black (black reads as "nothing" in overlays).
        return new ClassSet(name, names, vocColours(1, names.size()));
    }
}
