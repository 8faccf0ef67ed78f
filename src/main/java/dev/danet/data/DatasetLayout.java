package dev.danet.data;

import java.nio.file.Path;
import java.util.List;

/** How one benchmark stores its images and labels on disk. */
public interface DatasetLayout {

    /** The name users select it by, e.g. "cityscapes". */
    String id();

    /** The expected folder structure, shown when a folder does not match. */
    String expectedStructure();

    ClassSet classes(Path root);

    /** How stored label values become class indices (may depend on which label files exist). */
    LabelEncoding labelEncoding(Path root, String split);

    /** The samples of a split in a stable order; a sample that cannot be paired goes to bad. */
    List<SampleRef> list(Path root, String split, BadSamples bad);

    /** Whether a folder looks like this layout (for --dataset auto). */
    boolean matches(Path root);
}
