package dev.danet.viz;

import dev.danet.DanetException;
import dev.danet.data.ClassSet;
import dev.danet.data.RgbImage;
import dev.danet.inference.ImageSegmenter;
import dev.danet.io.Npy;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files `./danet segment` writes for one picture, NAME being its stem: NAME_label.png (a
 * palette PNG of class indices, 16-bit grey beyond 255 classes), NAME_colour.png, NAME_overlay.png, and the score maps when they
 * were asked for, NAME_logits.npy and NAME_probs.npy ((K, H, W) float32). Everything is drawn
 * before the first file is written; each file is written atomically.
 */
public final class SegmentationFiles {

    private SegmentationFiles() {}

    /** Fails before any work when the picture's score maps would not fit in a .npy file. */
    public static void requireScoresFit(Path file, RgbImage photo, ClassSet classes, ImageSegmenter.Scores scores) {
        int w = photo.width();
        int h = photo.height();
        long scoreBytes = 4L * classes.size() * w * h;
        if (scores != ImageSegmenter.Scores.NONE && scoreBytes > Integer.MAX_VALUE - 1024) {
            throw new DanetException(file + ": " + w + "x" + h + " with " + classes.size()
                    + " classes is too large for a .npy score file; drop --logits/--probabilities or use --base-size");
        }
    }

    /** Every file {@link #write} would write for a picture, e.g. to check that none of them is an input. */
    public static List<Path> paths(Path out, String stem, ImageSegmenter.Scores scores) {
        List<Path> paths = new ArrayList<>(List.of(out.resolve(stem + "_label.png"), out.resolve(stem + "_colour.png"),
                out.resolve(stem + "_overlay.png")));
        if (scores == ImageSegmenter.Scores.LOGITS || scores == ImageSegmenter.Scores.BOTH) {
            paths.add(out.resolve(stem + "_logits.npy"));
        }
        if (scores == ImageSegmenter.Scores.PROBABILITIES || scores == ImageSegmenter.Scores.BOTH) {
            paths.add(out.resolve(stem + "_probs.npy"));
        }
        return paths;
    }

    /** Writes the picture's files into the folder; the overlay blends the class colours at the given opacity. */
    public static void write(Path out, String stem, RgbImage photo, ImageSegmenter.Result result, ClassSet classes,
            float opacity) {
        int w = photo.width();
        int h = photo.height();
        BufferedImage label = LabelPictures.indexed(result.labels(), w, h, classes);
        BufferedImage colour = LabelPictures.colour(result.labels(), w, h, classes);
        BufferedImage overlay = Images.overlay(Images.toBufferedImage(photo), result.labels(), classes, opacity);
        Images.writePng(out.resolve(stem + "_label.png"), label);
        Images.writePng(out.resolve(stem + "_colour.png"), colour);
        Images.writePng(out.resolve(stem + "_overlay.png"), overlay);
        long[] shape = {result.classes(), h, w};
        if (result.logits() != null) {
            Npy.writeFloat32(out.resolve(stem + "_logits.npy"), result.logits(), shape);
        }
        if (result.probabilities() != null) {
            Npy.writeFloat32(out.resolve(stem + "_probs.npy"), result.probabilities(), shape);
        }
    }
}
