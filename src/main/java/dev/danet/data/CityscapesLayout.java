package dev.danet.data;

import dev.danet.DanetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Cityscapes: leftImg8bit/SPLIT/CITY/*_leftImg8bit.png with one of three label files per image
 * in gtFine/SPLIT/CITY/. Train-id files (0..18, 255) win over the downloaded labelIds (0..33,
 * mapped to the 19 training classes); the kind is chosen once per split.
 */
public final class CityscapesLayout implements DatasetLayout {

    /** The label files this layout reads, in order of preference. */
    enum LabelFiles {
        /** cityscapesScripts' createTrainIdLabelImgs and mmseg's tools/dataset_converters/cityscapes.py. */
        LABEL_TRAIN_IDS("_gtFine_labelTrainIds.png", true),
        /** The name the DANet reference code (encoding/datasets/cityscapes.py) reads. */
        TRAIN_IDS("_gtFine_trainIds.png", true),
        /** As downloaded in gtFine_trainvaltest.zip. */
        LABEL_IDS(LABEL_IDS_SUFFIX, false);

        final String suffix;
        final boolean trainIds;

        LabelFiles(String suffix, boolean trainIds) {
            this.suffix = suffix;
            this.trainIds = trainIds;
        }
    }

    /** The picture of a sample: leftImg8bit/SPLIT/CITY/NAME_leftImg8bit.png. */
    public static final String IMAGE_SUFFIX = "_leftImg8bit.png";
    /** Its labels as downloaded (Cityscapes labelIds): gtFine/SPLIT/CITY/NAME_gtFine_labelIds.png. */
    public static final String LABEL_IDS_SUFFIX = "_gtFine_labelIds.png";
    /** labelId -> trainId for the 19 evaluated classes; every other id 0..33 is ignored. */
    private static final int[][] LABEL_TO_TRAIN = {
        {7, 0}, {8, 1}, {11, 2}, {12, 3}, {13, 4}, {17, 5}, {19, 6}, {20, 7}, {21, 8}, {22, 9}, {23, 10},
        {24, 11}, {25, 12}, {26, 13}, {27, 14}, {28, 15}, {31, 16}, {32, 17}, {33, 18}
    };

    @Override
    public String id() {
        return "cityscapes";
    }

    @Override
    public String expectedStructure() {
        return "leftImg8bit/SPLIT/CITY/*" + IMAGE_SUFFIX + " and gtFine/SPLIT/CITY/ with " + acceptedLabelNames();
    }

    @Override
    public ClassSet classes(Path root) {
        return ClassSet.cityscapes();
    }

    @Override
    public LabelEncoding labelEncoding(Path root, String split) {
        return labelFiles(labelFolder(root, split)).trainIds ? LabelEncoding.identity(19) : labelIdEncoding();
    }

    /** The labelId -> trainId table: ids 0..33 known, the 19 classes mapped, the rest ignored. */
    public static LabelEncoding labelIdEncoding() {
        int[] table = new int[34];
        Arrays.fill(table, ClassSet.IGNORE);
        for (int[] pair : LABEL_TO_TRAIN) {
            table[pair[0]] = pair[1];
        }
        return LabelEncoding.of(table, "Cityscapes labelIds 0..33");
    }

    @Override
    public List<SampleRef> list(Path root, String split, BadSamples bad) {
        Path images = Listing.requireDirectory(root.resolve("leftImg8bit").resolve(split), this);
        Path labels = labelFolder(root, split);
        LabelFiles kind = labelFiles(labels);
        List<SampleRef> out = new ArrayList<>();
        for (Path city : Listing.folders(images)) {
            for (Path image : Listing.files(city, IMAGE_SUFFIX)) {
                String name = image.getFileName().toString();
                String prefix = name.substring(0, name.length() - IMAGE_SUFFIX.length());
                Path cityLabels = labels.resolve(city.getFileName().toString());
                Path label = cityLabels.resolve(prefix + kind.suffix);
                if (Files.isRegularFile(label)) {
                    out.add(new SampleRef(prefix, image, label));
                } else {
                    bad.report(missingLabel(image, label, cityLabels, prefix, kind));
                }
            }
        }
        return out;
    }

    @Override
    public boolean matches(Path root) {
        return Files.isDirectory(root.resolve("leftImg8bit")) && Files.isDirectory(root.resolve("gtFine"));
    }

    private Path labelFolder(Path root, String split) {
        return Listing.requireDirectory(root.resolve("gtFine").resolve(split), this);
    }

    /** The most preferred kind of label file that the split holds anywhere. */
    static LabelFiles labelFiles(Path labels) {
        List<Path> cities = Listing.folders(labels);
        for (LabelFiles kind : LabelFiles.values()) {
            for (Path city : cities) {
                if (!Listing.files(city, kind.suffix).isEmpty()) {
                    return kind;
                }
            }
        }
        throw new DanetException(labels + ": no label files in its city folders; expected " + acceptedLabelNames()
                + " (make train ids with cityscapesScripts' createTrainIdLabelImgs or mmseg's"
                + " tools/dataset_converters/cityscapes.py, or unpack gtFine_trainvaltest.zip for the labelIds)");
    }

    private static DanetException missingLabel(Path image, Path label, Path cityLabels, String prefix, LabelFiles kind) {
        for (LabelFiles other : LabelFiles.values()) {
            if (other != kind && Files.isRegularFile(cityLabels.resolve(prefix + other.suffix))) {
                return new DanetException(image + ": has no label " + label.getFileName() + " (only " + prefix
                        + other.suffix + "; this split reads *" + kind.suffix + " because other images have them:"
                        + " make them for every city, or remove them to use *" + other.suffix + ")");
            }
        }
        return new DanetException(image + ": has no label (expected " + label + ")");
    }

    private static String acceptedLabelNames() {
        return Arrays.stream(LabelFiles.values()).map(k -> "*" + k.suffix)
                .collect(Collectors.joining(", ", "", " (the first kind present is used)"));
    }
}
