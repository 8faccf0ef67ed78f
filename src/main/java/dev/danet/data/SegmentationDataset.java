package dev.danet.data;

import dev.danet.DanetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One split of a dataset in a published layout: its samples, classes and label mapping.
 * Loading a sample decodes the picture and the label map, checks they fit together, and maps
 * stored label values to class indices.
 */
public final class SegmentationDataset {

    private static final List<DatasetLayout> LAYOUTS = List.of(new CityscapesLayout(), VocLayout.voc(),
            VocLayout.pascalContext(), ImageFolderLayout.ade20k(), ImageFolderLayout.cocoStuff(),
            ImageFolderLayout.generic());

    private final DatasetLayout layout;
    private final Path root;
    private final String split;
    private final ClassSet classes;
    private final LabelMap labelMap;
    private final List<SampleRef> samples;

    private SegmentationDataset(DatasetLayout layout, Path root, String split, BadSamples bad) {
        this.layout = layout;
        this.root = root;
        this.split = split;
        this.classes = layout.classes(root);
        this.samples = List.copyOf(layout.list(root, split, bad));
        if (samples.isEmpty()) {
            throw new DanetException(root + ": no samples in split '" + split + "' (the " + layout.id()
                    + " layout expects " + layout.expectedStructure() + ")");
        }
        this.labelMap = layout.labelMap(root, split);
    }

    /**
     * Opens a split. layoutId is one of {@link #layoutIds()} or "auto" (detected from the folder).
     */
    public static SegmentationDataset open(String layoutId, Path root, String split, BadSamples bad) {
        if (!Files.isDirectory(root)) {
            throw new DanetException(root + ": no such dataset folder");
        }
        return new SegmentationDataset(layout(layoutId, root), root, split, bad);
    }

    public static List<String> layoutIds() {
        return LAYOUTS.stream().map(DatasetLayout::id).toList();
    }

    static DatasetLayout layout(String layoutId, Path root) {
        String wanted = layoutId.toLowerCase(Locale.ROOT);
        if (wanted.equals("auto")) {
            return LAYOUTS.stream().filter(l -> l.matches(root)).findFirst().orElseThrow(() -> new DanetException(
                    root + ": cannot tell the dataset layout; pass --dataset with one of " + layoutIds()
                            + ". Expected e.g. " + LAYOUTS.stream().map(l -> l.id() + ": " + l.expectedStructure())
                                    .collect(Collectors.joining("; "))));
        }
        return LAYOUTS.stream().filter(l -> l.id().equals(wanted)).findFirst().orElseThrow(() ->
                new DanetException("unknown dataset layout '" + layoutId + "': use one of " + layoutIds() + " or auto"));
    }

    public String layoutId() {
        return layout.id();
    }

    public Path root() {
        return root;
    }

    public String split() {
        return split;
    }

    public ClassSet classes() {
        return classes;
    }

    public int size() {
        return samples.size();
    }

    public SampleRef sample(int index) {
        return samples.get(index);
    }

    public List<SampleRef> samples() {
        return samples;
    }

    /** Decodes sample i; a bad file is a DanetException naming it. */
    public LabeledImage load(int index) {
        SampleRef ref = samples.get(index);
        RgbImage image = ImageDecoder.readRgb(ref.image());
        LabelImage raw = ImageDecoder.readLabels(ref.label());
        if (raw.width() != image.width() || raw.height() != image.height()) {
            throw new DanetException(ref.label() + ": label is " + raw.width() + "x" + raw.height() + " but its image "
                    + ref.image().getFileName() + " is " + image.width() + "x" + image.height());
        }
        return new LabeledImage(ref.id(), image, labelMap.apply(raw, ref.label()));
    }
}
