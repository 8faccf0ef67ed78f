package dev.danet.data;

import dev.danet.DanetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Layouts that keep images and labels in two parallel folders, matched by file name: ADE20K
 * (images/ + annotations/, 0 ignored, 1..150 shifted down), COCO-Stuff 164k (images/ +
 * annotations/, *_labelTrainIds.png as they are or raw ids 0..181 mapped to 171 classes),
 * and the generic layout for custom data (images/ + masks/ + classes.txt).
 */
public final class ImageFolderLayout implements DatasetLayout {

    private static final String[] IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp"};
    private static final String COCO_TRAIN_IDS = "_labelTrainIds.png";

    private final String id;
    private final String imageFolder;
    private final String labelFolder;
    private final Map<String, String> splitNames;

    private ImageFolderLayout(String id, String imageFolder, String labelFolder, Map<String, String> splitNames) {
        this.id = id;
        this.imageFolder = imageFolder;
        this.labelFolder = labelFolder;
        this.splitNames = splitNames;
    }

    public static ImageFolderLayout ade20k() {
        return new ImageFolderLayout("ade20k", "images", "annotations", Map.of("train", "training", "val", "validation"));
    }

    public static ImageFolderLayout cocoStuff() {
        return new ImageFolderLayout("coco-stuff", "images", "annotations", Map.of("train", "train2017", "val", "val2017"));
    }

    public static ImageFolderLayout generic() {
        return new ImageFolderLayout("folder", "images", "masks", Map.of());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String expectedStructure() {
        String split = splitNames.isEmpty() ? "[SPLIT/]" : "SPLIT/";
        String extra = id.equals("folder") ? " and classes.txt (one class per line: name [r g b])" : "";
        return imageFolder + "/" + split + "NAME.jpg|png and " + labelFolder + "/" + split + "NAME.png" + extra;
    }

    @Override
    public ClassSet classes(Path root) {
        return switch (id) {
            case "ade20k" -> ClassSet.ade20k();
            case "coco-stuff" -> ClassSet.cocoStuff();
            default -> ClassListFile.read(root.resolve("classes.txt"));
        };
    }

    @Override
    public LabelMap labelMap(Path root, String split) {
        return switch (id) {
            case "ade20k" -> LabelMap.zeroIgnoredShiftDown(150);
            case "coco-stuff" -> usesCocoTrainIds(root, split) ? LabelMap.identity(171) : cocoRawMap();
            default -> LabelMap.identity(classes(root).size());
        };
    }

    /** COCO-Stuff's 182 raw ids minus the 11 unused ones, in order, become classes 0..170. */
    static LabelMap cocoRawMap() {
        List<Integer> unused = ClassSet.readLines("coco-stuff-ids.txt").stream().map(Integer::parseInt).toList();
        int[] table = new int[256];
        java.util.Arrays.fill(table, -1);
        int next = 0;
        for (int raw = 0; raw < 182; raw++) {
            if (!unused.contains(raw)) {
                table[raw] = next++;
            }
        }
        table[ClassSet.IGNORE] = ClassSet.IGNORE;
        return LabelMap.of(table, "COCO-Stuff ids 0..181 (less the 11 unused) or 255");
    }

    @Override
    public List<SampleRef> list(Path root, String split, BadSamples bad) {
        Path images = folder(root, imageFolder, split);
        Path labels = folder(root, labelFolder, split);
        boolean trainIds = id.equals("coco-stuff") && usesCocoTrainIds(root, split);
        List<SampleRef> out = new ArrayList<>();
        for (Path image : Listing.files(images, IMAGE_SUFFIXES)) {
            String stem = Listing.stem(image);
            Path label = labels.resolve(stem + (trainIds ? COCO_TRAIN_IDS : ".png"));
            Listing.pair(out, stem, image, label, bad);
        }
        return out;
    }

    @Override
    public boolean matches(Path root) {
        if (!Files.isDirectory(root.resolve(imageFolder)) || !Files.isDirectory(root.resolve(labelFolder))) {
            return false;
        }
        if (id.equals("folder")) {
            return Files.isRegularFile(root.resolve("classes.txt"));
        }
        return splitNames.values().stream().anyMatch(s -> Files.isDirectory(root.resolve(imageFolder).resolve(s)));
    }

    /** root/name/SPLIT, or for the generic layout root/name when it has no split folders. */
    private Path folder(Path root, String name, String split) {
        Path base = Listing.requireDirectory(root.resolve(name), this);
        Path withSplit = base.resolve(splitNames.getOrDefault(split, split));
        if (Files.isDirectory(withSplit)) {
            return withSplit;
        }
        if (splitNames.isEmpty() && Listing.folders(base).isEmpty()) {
            return base;
        }
        throw new DanetException(withSplit + ": no such folder (the " + id + " layout expects " + expectedStructure() + ")");
    }

    private boolean usesCocoTrainIds(Path root, String split) {
        Path labels = root.resolve(labelFolder).resolve(splitNames.getOrDefault(split, split));
        return Files.isDirectory(labels) && !Listing.files(labels, COCO_TRAIN_IDS.toLowerCase()).isEmpty();
    }
}
