package dev.danet.data;

/**
 * A sample ready for the network: normalised (3, H, W) floats and (H, W) class indices.
 *
 * @param id where it came from
 * @param width W
 * @param height H
 * @param image 3 * H * W normalised values, channel-major
 * @param labels H * W class indices or {@link ClassSet#IGNORE}
 */
public record TrainSample(String id, int width, int height, float[] image, int[] labels) {

    /** The evaluation form of a sample: normalised, unchanged in size. */
    public static TrainSample of(LabeledImage sample) {
        return new TrainSample(sample.id(), sample.image().width(), sample.image().height(),
                Normalization.toChw(sample.image()), sample.label().values().clone());
    }
}
