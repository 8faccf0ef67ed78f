package dev.danet.data;

import dev.danet.DanetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * PASCAL VOC 2012 (VOCdevkit/VOC2012) with the SBD "aug" labels as mmseg's
 * tools/dataset_converters/voc_aug.py adds them: JPEGImages/ID.jpg, labels in
 * SegmentationClass/ID.png (palette PNGs, 255 = void border) or, for images VOC does not label,
 * SegmentationClassAug/ID.png (grey PNGs), and split lists ImageSets/Segmentation/SPLIT.txt.
 * Split "trainaug" without a trainaug.txt is train.txt plus aug.txt, as mmseg's
 * pascal_voc12_aug config concatenates them.
 */
public final class VocLayout implements DatasetLayout {

    private static final String IMAGES = "JPEGImages";
    private static final String LABELS = "SegmentationClass";
    private static final String AUG_LABELS = "SegmentationClassAug";
    private static final String SPLITS = "ImageSets/Segmentation";

    @Override
    public String id() {
        return "voc";
    }

    @Override
    public String expectedStructure() {
        return IMAGES + "/ID.jpg, " + LABELS + "/ID.png or " + AUG_LABELS + "/ID.png, and " + SPLITS
                + "/SPLIT.txt (train, val, trainval; aug and trainaug from mmseg's voc_aug.py)";
    }

    @Override
    public ClassSet classes(Path root) {
        return ClassSet.voc();
    }

    @Override
    public LabelEncoding labelEncoding(Path root, String split) {
        return LabelEncoding.identity(21);
    }

    @Override
    public List<SampleRef> list(Path root, String split, BadSamples bad) {
        Listing.requireDirectory(root.resolve(IMAGES), this);
        if (!Files.isDirectory(root.resolve(LABELS)) && !Files.isDirectory(root.resolve(AUG_LABELS))) {
            Listing.requireDirectory(root.resolve(LABELS), this);
        }
        List<SampleRef> out = new ArrayList<>();
        for (String sample : splitIds(root.resolve(SPLITS), split)) {
            Path image = root.resolve(IMAGES).resolve(sample + ".jpg");
            Path label = root.resolve(LABELS).resolve(sample + ".png");
            Path augLabel = root.resolve(AUG_LABELS).resolve(sample + ".png");
            if (!Files.isRegularFile(label) && Files.isRegularFile(augLabel)) {
                label = augLabel;
            } else if (!Files.isRegularFile(label) && Files.isRegularFile(image)) {
                bad.report(new DanetException(image + ": has no label (expected " + label + " or " + augLabel + ")"));
                continue;
            }
            Listing.pair(out, sample, image, label, bad);
        }
        return out;
    }

    @Override
    public boolean matches(Path root) {
        return Files.isDirectory(root.resolve(IMAGES))
                && (Files.isDirectory(root.resolve(LABELS)) || Files.isDirectory(root.resolve(AUG_LABELS)));
    }

    /** The ids of SPLIT.txt; "trainaug" without its own list is train.txt then aug.txt. */
    private static List<String> splitIds(Path lists, String split) {
        Path file = lists.resolve(split + ".txt");
        if (!Files.isRegularFile(file) && split.equals("trainaug")
                && Files.isRegularFile(lists.resolve("train.txt")) && Files.isRegularFile(lists.resolve("aug.txt"))) {
            Set<String> ids = new LinkedHashSet<>(Listing.splitIds(lists.resolve("train.txt")));
            ids.addAll(Listing.splitIds(lists.resolve("aug.txt")));
            return List.copyOf(ids);
        }
        return Listing.splitIds(file);
    }
}
