package dev.danet.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PASCAL VOC 2012 and PASCAL Context (as converted for segmentation): JPEGImages/ID.jpg, label
 * PNGs in a class folder, and split lists under ImageSets. VOC labels are palette PNGs whose
 * index is the class (255 = void border); Context labels hold 0 (background, ignored) and 1..59.
 */
public final class VocLayout implements DatasetLayout {

    private final String id;
    private final String labelFolder;
    private final String splitFolder;
    private final boolean context;

    private VocLayout(String id, String labelFolder, String splitFolder, boolean context) {
        this.id = id;
        this.labelFolder = labelFolder;
        this.splitFolder = splitFolder;
        this.context = context;
    }

    public static VocLayout voc() {
        return new VocLayout("voc", "SegmentationClass", "ImageSets/Segmentation", false);
    }

    public static VocLayout pascalContext() {
        return new VocLayout("pascal-context", "SegmentationClassContext", "ImageSets/SegmentationContext", true);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String expectedStructure() {
        return "JPEGImages/ID.jpg, " + labelFolder + "/ID.png and " + splitFolder + "/SPLIT.txt";
    }

    @Override
    public ClassSet classes(Path root) {
        return context ? ClassSet.pascalContext() : ClassSet.voc();
    }

    @Override
    public LabelMap labelMap(Path root, String split) {
        return context ? LabelMap.zeroIgnoredShiftDown(59) : LabelMap.identity(21);
    }

    @Override
    public List<SampleRef> list(Path root, String split, BadSamples bad) {
        Listing.requireDirectory(root.resolve("JPEGImages"), this);
        Listing.requireDirectory(root.resolve(labelFolder), this);
        List<SampleRef> out = new ArrayList<>();
        for (String sample : Listing.splitIds(root.resolve(splitFolder).resolve(split + ".txt"))) {
            Listing.pair(out, sample, root.resolve("JPEGImages").resolve(sample + ".jpg"),
                    root.resolve(labelFolder).resolve(sample + ".png"), bad);
        }
        return out;
    }

    @Override
    public boolean matches(Path root) {
        return Files.isDirectory(root.resolve("JPEGImages")) && Files.isDirectory(root.resolve(labelFolder));
    }
}
