package dev.danet.weights;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One public checkpoint: what it is, how it was scored, where it lives and how to check it.
 *
 * @param name short, stable id used on the command line, e.g. mmseg-danet-r50-d8-cityscapes-512x1024-40k
 * @param layout the checkpoint's key layout, which decides how it is read
 * @param model danet or fcn
 * @param backbone resnet50 or resnet101
 * @param dataset what it was trained and scored on: cityscapes, ade20k, voc-aug, coco-voc
 * @param classes the number of output classes
 * @param miou the published validation mIoU
 * @param recipe the published test-time settings behind that mIoU
 * @param url where the publisher serves the file
 * @param fileName the file's published name, kept as is on disk
 * @param sha256 the full SHA-256 or the published prefix of it (lowercase hex); null when none is published
 * @param hashSource where the hash comes from
 * @param sizeBytes the file size when known, else null
 * @param manualDownload the host needs a browser (Google Drive): fetch by hand and pass the file in
 * @param load what the loader cannot read from the weights
 * @param source the page that publishes the facts above
 * @param note anything else worth knowing, or null
 */
public record CatalogueEntry(
        String name,
        Layout layout,
        String model,
        String backbone,
        String dataset,
        int classes,
        Miou miou,
        PublishedRecipe recipe,
        URI url,
        String fileName,
        String sha256,
        String hashSource,
        Long sizeBytes,
        boolean manualDownload,
        LoadSettings load,
        String source,
        String note) {

    /** Key layouts of the public checkpoints. */
    public enum Layout {
        REFERENCE_DANET("reference-danet"),
        MMSEG("mmseg"),
        TORCHVISION_FCN("torchvision-fcn");

        private final String id;

        Layout(String id) {
            this.id = id;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return id;
        }
    }

    /**
     * Published validation mIoU in percent.
     *
     * @param singleScale one scale, no flip
     * @param multiScaleFlip several scales plus flip, or null when not published
     */
    public record Miou(double singleScale, Double multiScaleFlip) {}

    /**
     * Settings the loader cannot infer from the weights (they leave no trace in them).
     *
     * @param outputStride 8 or 16
     * @param multiGrid layer4 dilations 4, 8, 16
     */
    public record LoadSettings(int outputStride, boolean multiGrid) {}

    public CatalogueEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(layout, name + ": layout");
        Objects.requireNonNull(miou, name + ": miou");
        Objects.requireNonNull(recipe, name + ": recipe");
        Objects.requireNonNull(url, name + ": url");
        Objects.requireNonNull(load, name + ": load");
        if (!name.matches("[a-z0-9][a-z0-9.-]*")) {
            throw new IllegalArgumentException("catalogue name '" + name + "': use lowercase letters, digits, '-' and '.'");
        }
        if (fileName == null || fileName.isBlank() || fileName.contains("/") || fileName.startsWith(".")) {
            throw new IllegalArgumentException(name + ": fileName must be a plain file name, got '" + fileName + "'");
        }
        if (sha256 != null) {
            sha256 = sha256.toLowerCase(Locale.ROOT);
            if (!sha256.matches("[0-9a-f]{8,64}")) {
                throw new IllegalArgumentException(name + ": sha256 must be 8 to 64 hex digits, got '" + sha256 + "'");
            }
        }
        if (classes < 1) {
            throw new IllegalArgumentException(name + ": classes must be positive");
        }
    }

    /** Whether a published hash (full or prefix) exists to check a download against. */
    @JsonIgnore
    public boolean hasHash() {
        return sha256 != null;
    }

    /** Whether the known hash is a full SHA-256 rather than a published prefix. */
    @JsonIgnore
    public boolean hasFullHash() {
        return sha256 != null && sha256.length() == 64;
    }

    /** The file name of the converted checkpoint. */
    @JsonIgnore
    public String checkpointFileName() {
        return name + ".danet";
    }
}
