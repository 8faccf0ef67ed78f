package dev.danet.data;

import dev.danet.DanetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cityscapes: leftImg8bit/SPLIT/CITY/*_leftImg8bit.png with gtFine/SPLIT/CITY/*_gtFine_labelIds.png
 * (34 label ids mapped to the 19 training classes) or, when no labelIds files exist,
 * *_gtFine_trainIds.png used as they are.
 */
public final class CityscapesLayout implements DatasetLayout {

    private static final String IMAGE_SUFFIX = "_leftImg8bit.png";
    private static final String LABEL_IDS = "_gtFine_labelIds.png";
    private static final String TRAIN_IDS = "_gtFine_trainIds.png";
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
        return "leftImg8bit/SPLIT/CITY/*" + IMAGE_SUFFIX + " and gtFine/SPLIT/CITY/*" + LABEL_IDS + " (or *"
                + TRAIN_IDS + ")";
    }

    @Override
    public ClassSet classes(Path root) {
        return ClassSet.cityscapes();
    }

    @Override
    public LabelMap labelMap(Path root, String split) {
        return usesLabelIds(root, split) ? labelIdMap() : LabelMap.identity(19);
    }

    /** The labelId -> trainId table: ids 0..33 known, the 19 classes mapped, the rest ignored. */
    public static LabelMap labelIdMap() {
        int[] table = new int[34];
        java.util.Arrays.fill(table, ClassSet.IGNORE);
        for (int[] pair : LABEL_TO_TRAIN) {
            table[pair[0]] = pair[1];
        }
        return LabelMap.of(table, "Cityscapes labelIds 0..33");
    }

    @Override
    public List<SampleRef> list(Path root, String split, BadSamples bad) {
        Path images = Listing.requireDirectory(root.resolve("leftImg8bit").resolve(split), this);
        Path labels = root.resolve("gtFine").resolve(split);
        String suffix = usesLabelIds(root, split) ? LABEL_IDS : TRAIN_IDS;
        List<SampleRef> out = new ArrayList<>();
        for (Path city : Listing.folders(images)) {
            for (Path image : Listing.files(city, IMAGE_SUFFIX)) {
                String name = image.getFileName().toString();
                String prefix = name.substring(0, name.length() - IMAGE_SUFFIX.length());
                Path label = labels.resolve(city.getFileName().toString()).resolve(prefix + suffix);
                Listing.pair(out, prefix, image, label, bad);
            }
        }
        return out;
    }

    @Override
    public boolean matches(Path root) {
        return Files.isDirectory(root.resolve("leftImg8bit")) && Files.isDirectory(root.resolve("gtFine"));
    }

    private static boolean usesLabelIds(Path root, String split) {
        Path labels = root.resolve("gtFine").resolve(split);
        if (!Files.isDirectory(labels)) {
            return true;
        }
        for (Path city : Listing.folders(labels)) {
            if (!Listing.files(city, LABEL_IDS.toLowerCase()).isEmpty()) {
                return true;
            }
            if (!Listing.files(city, TRAIN_IDS.toLowerCase()).isEmpty()) {
                return false;
            }
        }
        throw new DanetException(labels + ": no *" + LABEL_IDS + " or *" + TRAIN_IDS + " files");
    }
}
