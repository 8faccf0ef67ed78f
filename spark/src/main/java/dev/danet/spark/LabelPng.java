package dev.danet.spark;

import dev.danet.data.ClassSet;
import dev.danet.inference.ImageSegmenter;
import dev.danet.viz.LabelPictures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** The label PNG `./danet segment` writes (NAME_label.png: a palette PNG of class indices), as bytes. */
final class LabelPng {

    static final String SUFFIX = "_label.png";

    private LabelPng() {}

    static byte[] encode(ImageSegmenter.Result result, ClassSet classes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(LabelPictures.indexed(result.labels(), result.width(), result.height(), classes), "png",
                    bytes)) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Pixels per class in a label map. */
    static long[] classPixels(int[] labels, int classes) {
        long[] counts = new long[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
