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

    /** In the order --dataset auto tries them: PASCAL Context before VOC, since VOC2010 also has SegmentationClass. */
    private static final List<DatasetLayout> LAYOUTS = List.of(new CityscapesLayout(),
            PascalContextLayout.classes59(), PascalContextLayout.classes60(), new VocLayout(),
            ImageFolderLayout.ade20k(), ImageFolderLayout.cocoStuff(), ImageFolderLayout.cocoStuff10k(),
            ImageFolderLayout.generic());
    /** Where the usual downloads and converters put a dataset's root, relative to a parent folder. */
    private static final List<String> USUAL_ROOTS = List.of("cityscapes", "VOCdevkit/VOC2012", "VOCdevkit/VOC2010",
            "VOC2012", "VOC2010", "ADEChallengeData2016", "ade/ADEChallengeData2016", "coco_stuff164k",
            "coco_stuff10k");

    private final DatasetLayout layout;
    private final Path root;
    private final String split;
    private final ClassSet classes;
    private final LabelEncoding labelEncoding;
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
        this.labelEncoding = layout.labelEncoding(root, split);
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
                    root + ": cannot tell the dataset layout; " + usualRootBelow(root).map(r -> "did you mean --data "
                            + r + "? Otherwise ").orElse("") + "pass --dataset with one of " + layoutIds()
                            + ". Expected e.g. " + LAYOUTS.stream().map(l -> l.id() + ": " + l.expectedStructure())
                                    .collect(Collectors.joining("; "))));
        }
        return LAYOUTS.stream().filter(l -> l.id().equals(wanted)).findFirst().orElseThrow(() ->
                new DanetException("unknown dataset layout '" + layoutId + "': use one of " + layoutIds() + " or auto"));
    }

    /** A dataset root that a download or converter usually creates below the given folder, if there is one. */
    private static java.util.Optional<Path> usualRootBelow(Path folder) {
        return USUAL_ROOTS.stream().map(folder::resolve).filter(dir -> LAYOUTS.stream().anyMatch(l -> l.matches(dir)))
                .findFirst();
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
        LabelGrid raw = ImageDecoder.readLabels(ref.label());
        if (raw.width() != image.width() || raw.height() != image.height()) {
            throw new DanetException(ref.label() + ": label is " + raw.width() + "x" + raw.height() + " but its image "
                    + ref.image().getFileName() + " is " + image.width() + "x" + image.height());
        }
        return new LabeledImage(ref.id(), image, labelEncoding.decode(raw, ref.label()));
    }
}
