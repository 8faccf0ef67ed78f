package dev.danet.data;

import java.util.List;

/**
 * Samples of one size stacked for the network.
 *
 * @param ids where each sample came from
 * @param height H
 * @param width W
 * @param images N * 3 * H * W normalised values
 * @param labels N * H * W class indices or ignore
 */
public record Batch(List<String> ids, int height, int width, float[] images, int[] labels) {

    public int size() {
        return ids.size();
    }

    static Batch stack(List<TrainSample> samples) {
        TrainSample first = samples.get(0);
        int plane = first.width() * first.height();
        float[] images = new float[samples.size() * 3 * plane];
        int[] labels = new int[samples.size() * plane];
        for (int i = 0; i < samples.size(); i++) {
            TrainSample s = samples.get(i);
            if (s.width() != first.width() || s.height() != first.height()) {
                throw new IllegalArgumentException("samples of different sizes cannot share a batch: "
                        + first.id() + " " + first.width() + "x" + first.height() + ", " + s.id() + " "
                        + s.width() + "x" + s.height());
            }
            System.arraycopy(s.image(), 0, images, i * 3 * plane, 3 * plane);
            System.arraycopy(s.labels(), 0, labels, i * plane, plane);
        }
        return new Batch(samples.stream().map(TrainSample::id).toList(), first.height(), first.width(), images, labels);
    }
}
