package com.example.embed;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.CategoryMask;
import ai.djl.repository.zoo.ZooModel;
import dev.danet.api.Segmentation;
import dev.danet.api.Segmenter;
import dev.danet.djl.DanetImages;
import dev.danet.djl.DanetModels;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * Segments one picture twice, with DANet's own API and through DJL's Criteria, writes both
 * pictures, and exits 1 when the two disagree (the check .ci/run relies on).
 *
 * <p>Usage: {@code java -Dai.djl.offline=true -jar target/danet-embed-example.jar WEIGHTS PICTURE OUT_DIR}
 */
public final class SegmentPicture {

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SegmentPicture WEIGHTS PICTURE OUT_DIR");
            System.exit(64);
        }
        Path weights = Path.of(args[0]);
        Path picture = Path.of(args[1]);
        Path out = Files.createDirectories(Path.of(args[2]));

        // 1. DANet's API: load once, segment as often as needed (from any thread), close.
        Segmentation segmentation;
        try (Segmenter segmenter = Segmenter.load(weights)) {
            segmentation = segmenter.segment(picture);
        }
        ImageIO.write(segmentation.colourImage(), "png", out.resolve("classes.png").toFile());
        long[] counts = segmentation.pixelCounts();
        for (int c = 0; c < counts.length; c++) {
            System.out.printf("%-12s %5.1f%%%n", segmentation.classNames().get(c),
                    100.0 * counts[c] / ((long) segmentation.width() * segmentation.height()));
        }

        // 2. DJL: Criteria -> ZooModel -> Predictor<Image, CategoryMask>.
        CategoryMask mask;
        int pictureWidth;
        int pictureHeight;
        try (ZooModel<Image, CategoryMask> model = DanetModels.criteria(weights).build().loadModel();
                Predictor<Image, CategoryMask> predictor = model.newPredictor()) {
            // As the CLI reads it (EXIF orientation applied); DJL's ImageFactory.fromFile would do for
            // pictures without one.
            Image image = DanetImages.read(picture);
            pictureWidth = image.getWidth();
            pictureHeight = image.getHeight();
            mask = predictor.predict(image);
            mask.drawMask(image, 160, 0); // colours at opacity 160; class 0 left uncoloured (background 0)
            try (OutputStream png = Files.newOutputStream(out.resolve("mask.png"))) {
                image.save(png, "png");
            }
        }

        // 3. Both paths ran the same model on the same picture: the same size, the same labels.
        int[][] rows = mask.getMask();
        int height = rows.length;
        int width = height == 0 ? 0 : rows[0].length;
        if (width != pictureWidth || height != pictureHeight || segmentation.width() != pictureWidth
                || segmentation.height() != pictureHeight) {
            fail("the picture is " + pictureWidth + "x" + pictureHeight + ", the DJL mask " + width + "x" + height
                    + ", the API's segmentation " + segmentation.width() + "x" + segmentation.height());
        }
        int[] labels = Arrays.stream(rows).flatMapToInt(Arrays::stream).toArray();
        int[] expected = segmentation.labels();
        long differing = IntStream.range(0, expected.length)
                .filter(i -> labels[i] != expected[i]).count();
        if (differing > 0) {
            fail(differing + " of " + expected.length + " pixels differ between the API and DJL");
        }
        if (!mask.getClasses().equals(segmentation.classNames())) {
            fail("class names differ: " + mask.getClasses() + " vs " + segmentation.classNames());
        }
        System.out.println("ok: " + width + "x" + height + ", the same labels both ways; wrote "
                + out.resolve("classes.png") + " and " + out.resolve("mask.png"));
    }

    private static void fail(String why) {
        System.err.println("embed example: " + why);
        System.exit(1);
    }
}
