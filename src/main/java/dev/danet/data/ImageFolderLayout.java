package dev.danet.data;

import dev.danet.DanetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Layouts that keep images and labels in two parallel folders, matched by file name: ADE20K
 * (ADEChallengeData2016), COCO-Stuff 164k (stuffthingmaps_trainval2017, optionally converted
 * by mmseg), COCO-Stuff 10k (as mmseg's converter writes it) and the generic layout for custom
 * data (images/ + masks/ + classes.txt). Where a dataset has more than one label naming, the
 * first one present in a split's label folder is used.
 */
public final class ImageFolderLayout implements DatasetLayout {

    /**
     * One way of naming the label file of image NAME.jpg, and what its values mean.
     *
     * @param suffix what follows NAME, e.g. "_labelTrainIds.png"
     * @param encoding how its values encode classes, given the dataset's classes
     * @param producer which release or tool writes these files
     */
    private record LabelNaming(String suffix, Function<ClassSet, LabelEncoding> encoding, String producer) {}

    private static final String[] IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp"};
    private static final String IMAGES = "images";

    private final String id;
    private final String labelFolder;
    private final Map<String, String> splitFolders;
    private final List<LabelNaming> namings;
    private final Function<Path, ClassSet> classes;

    private ImageFolderLayout(String id, String labelFolder, Map<String, String> splitFolders,
            List<LabelNaming> namings, Function<Path, ClassSet> classes) {
        this.id = id;
        this.labelFolder = labelFolder;
        this.splitFolders = splitFolders;
        this.namings = namings;
        this.classes = classes;
    }

    /** ADEChallengeData2016: 0 = "other objects" (ignored), 1..150 shifted to 0..149 (reduce_zero_label). */
    public static ImageFolderLayout ade20k() {
        return new ImageFolderLayout("ade20k", "annotations", Map.of("train", "training", "val", "validation"),
                List.of(new LabelNaming(".png", c -> LabelEncoding.zeroIgnoredShiftDown(150), "ADEChallengeData2016.zip")),
                root -> ClassSet.ade20k());
    }

    /** COCO-Stuff 164k: train ids 0..170 from mmseg's converter, else the raw ids 0..181 of the release; 255 unlabeled. */
    public static ImageFolderLayout cocoStuff() {
        return new ImageFolderLayout("coco-stuff", "annotations", Map.of("train", "train2017", "val", "val2017"),
                List.of(new LabelNaming("_labelTrainIds.png", c -> LabelEncoding.identity(171), "mmseg's coco_stuff164k.py"),
                        new LabelNaming(".png", c -> cocoRawEncoding(), "stuffthingmaps_trainval2017.zip")),
                root -> ClassSet.cocoStuff());
    }

    /** COCO-Stuff 10k after mmseg's coco_stuff10k.py: 0 unlabeled (ignored), 1..171 shifted to 0..170. */
    public static ImageFolderLayout cocoStuff10k() {
        return new ImageFolderLayout("coco-stuff-10k", "annotations", Map.of("train", "train2014", "val", "test2014",
                "test", "test2014"),
                List.of(new LabelNaming("_labelTrainIds.png", c -> LabelEncoding.zeroIgnoredShiftDown(171),
                        "mmseg's coco_stuff10k.py from the .mat release")),
                root -> ClassSet.cocoStuff());
    }

    /** Custom data: class index per pixel, 255 ignored, classes from classes.txt. */
    public static ImageFolderLayout generic() {
        return new ImageFolderLayout("folder", "masks", Map.of(),
                List.of(new LabelNaming(".png", c -> LabelEncoding.identity(c.size()), "your own tool")),
                root -> ClassListFile.read(root.resolve("classes.txt")));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String expectedStructure() {
        String split = splitFolders.isEmpty() ? "[SPLIT/]"
                : new LinkedHashSet<>(splitFolders.values()).stream().sorted().collect(Collectors.joining(",", "{", "}/"));
        String labels = namings.stream().map(n -> "NAME" + n.suffix() + " (" + n.producer() + ")")
                .collect(Collectors.joining(" or "));
        String extra = splitFolders.isEmpty() ? " and classes.txt (one class per line: name [r g b])" : "";
        return IMAGES + "/" + split + "NAME.jpg|png and " + labelFolder + "/" + split + labels + extra;
    }

    @Override
    public ClassSet classes(Path root) {
        return classes.apply(root);
    }

    @Override
    public LabelEncoding labelEncoding(Path root, String split) {
        return naming(folder(root, labelFolder, split)).encoding().apply(classes(root));
    }

    /** COCO-Stuff's 182 raw ids minus the 11 unused ones, in order, become classes 0..170. */
    static LabelEncoding cocoRawEncoding() {
        List<Integer> unused = ClassSet.readLines("coco-stuff-ids.txt").stream().map(Integer::parseInt).toList();
        int[] table = new int[256];
        Arrays.fill(table, -1);
        int next = 0;
        for (int raw = 0; raw < 182; raw++) {
            if (!unused.contains(raw)) {
                table[raw] = next++;
            }
        }
        table[ClassSet.IGNORE] = ClassSet.IGNORE;
        return LabelEncoding.of(table, "COCO-Stuff ids 0..181 (less the 11 unused) or 255");
    }

    @Override
    public List<SampleRef> list(Path root, String split, BadSamples bad) {
        Path images = folder(root, IMAGES, split);
        Path labels = folder(root, labelFolder, split);
        List<Path> files = Listing.files(images, IMAGE_SUFFIXES);
        if (files.isEmpty()) {
            return List.of();
        }
        LabelNaming naming = naming(labels);
        List<SampleRef> out = new ArrayList<>();
        for (Path image : files) {
            String stem = Listing.stem(image);
            Path label = labels.resolve(stem + naming.suffix());
            if (Files.isRegularFile(label)) {
                out.add(new SampleRef(stem, image, label));
            } else {
                bad.report(missingLabel(image, label, labels, stem, naming));
            }
        }
        return out;
    }

    @Override
    public boolean matches(Path root) {
        if (!Files.isDirectory(root.resolve(IMAGES)) || !Files.isDirectory(root.resolve(labelFolder))) {
            return false;
        }
        if (splitFolders.isEmpty()) {
            return Files.isRegularFile(root.resolve("classes.txt"));
        }
        return splitFolders.values().stream().anyMatch(s -> Files.isDirectory(root.resolve(IMAGES).resolve(s)));
    }

    /** root/name/SPLIT, or for the generic layout root/name when it has no split folders. */
    private Path folder(Path root, String name, String split) {
        Path base = Listing.requireDirectory(root.resolve(name), this);
        Path withSplit = base.resolve(splitFolders.getOrDefault(split, split));
        if (Files.isDirectory(withSplit)) {
            return withSplit;
        }
        if (splitFolders.isEmpty() && Listing.folders(base).isEmpty()) {
            return base;
        }
        throw new DanetException(withSplit + ": no such folder (the " + id + " layout expects " + expectedStructure()
                + "; " + base.getFileName() + "/ holds " + Listing.folders(base).stream()
                        .map(p -> p.getFileName().toString()).toList() + ")");
    }

    /** The first naming with files in the label folder. */
    private LabelNaming naming(Path labels) {
        for (LabelNaming naming : namings) {
            if (!Listing.files(labels, naming.suffix()).isEmpty()) {
                return naming;
            }
        }
        throw new DanetException(labels + ": no label files; the " + id + " layout expects " + namings.stream()
                .map(n -> "NAME" + n.suffix() + " (" + n.producer() + ")").collect(Collectors.joining(" or ")));
    }

    private DanetException missingLabel(Path image, Path label, Path labels, String stem, LabelNaming naming) {
        for (LabelNaming other : namings) {
            if (other != naming && Files.isRegularFile(labels.resolve(stem + other.suffix()))) {
                return new DanetException(image + ": has no label " + label.getFileName() + " (only " + stem
                        + other.suffix() + "; this split reads *" + naming.suffix() + " because other images have"
                        + " them: run " + naming.producer() + " for every image)");
            }
        }
        return new DanetException(image + ": has no label (expected " + label + ")");
    }
}
