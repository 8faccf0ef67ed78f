package dev.danet.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PASCAL Context as mmseg's tools/dataset_converters/pascal_context.py writes it into
 * VOCdevkit/VOC2010: JPEGImages/ID.jpg, SegmentationClassContext/ID.png (grey, 0 = background,
 * 1..59 the classes in alphabetical order) and ImageSets/SegmentationContext/{train,val}.txt.
 * "pascal-context" ignores the background and trains 59 classes (mmseg's PascalContextDataset59,
 * reduce_zero_label; the DANet reference); "pascal-context-60" keeps it as class 0 (mmseg's
 * PascalContextDataset).
 */
public final class PascalContextLayout implements DatasetLayout {

    private static final String IMAGES = "JPEGImages";
    private static final String LABELS = "SegmentationClassContext";
    private static final String SPLITS = "ImageSets/SegmentationContext";

    private final boolean withBackground;

    private PascalContextLayout(boolean withBackground) {
        this.withBackground = withBackground;
    }

    /** 59 classes, background ignored. */
    public static PascalContextLayout classes59() {
        return new PascalContextLayout(false);
    }

    /** 60 classes, background is class 0. */
    public static PascalContextLayout classes60() {
        return new PascalContextLayout(true);
    }

    @Override
    public String id() {
        return withBackground ? "pascal-context-60" : "pascal-context";
    }

    @Override
    public String expectedStructure() {
        return IMAGES + "/ID.jpg, " + LABELS + "/ID.png and " + SPLITS
                + "/SPLIT.txt (VOCdevkit/VOC2010 after mmseg's pascal_context.py)";
    }

    @Override
    public ClassSet classes(Path root) {
        return withBackground ? ClassSet.pascalContext60() : ClassSet.pascalContext();
    }

    @Override
    public LabelEncoding labelEncoding(Path root, String split) {
        return withBackground ? LabelEncoding.identity(60) : LabelEncoding.zeroIgnoredShiftDown(59);
    }

    @Override
    public List<SampleRef> list(Path root, String split, BadSamples bad) {
        Listing.requireDirectory(root.resolve(IMAGES), this);
        Listing.requireDirectory(root.resolve(LABELS), this);
        List<SampleRef> out = new ArrayList<>();
        for (String sample : Listing.splitIds(root.resolve(SPLITS).resolve(split + ".txt"))) {
            Listing.pair(out, sample, root.resolve(IMAGES).resolve(sample + ".jpg"),
                    root.resolve(LABELS).resolve(sample + ".png"), bad);
        }
        return out;
    }

    /** Only the 59-class reading is picked by --dataset auto; the 60-class one must be named. */
    @Override
    public boolean matches(Path root) {
        return !withBackground && Files.isDirectory(root.resolve(IMAGES)) && Files.isDirectory(root.resolve(LABELS));
    }
}
