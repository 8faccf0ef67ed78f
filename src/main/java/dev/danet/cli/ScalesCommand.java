package dev.danet.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.DanetException;
import dev.danet.data.ImageDecoder;
import dev.danet.data.Normalization;
import dev.danet.data.RgbImage;
import dev.danet.inference.LoadedModel;
import dev.danet.io.Npy;
import dev.danet.nn.Network;
import dev.danet.viz.Images;
import dev.danet.viz.LabelPictures;
import dev.danet.viz.ScaleWeightMaps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `danet scales`: pictures of which input scale a multi-scale model trusts where. */
@Command(name = "scales",
        mixinStandardHelpOptions = true,
        description = {
            "Show the scale weights of an Attention-to-Scale model (trained with --scales) on pictures.",
            "",
            "For each IMAGE writes DIR/<name>-scales.png: the photo, one heat map per scale of its weight (0 "
                    + "black .. 1 yellow), the most-weighted scale per pixel (legend below) and the segmentation; prints "
                    + "each scale's mean weight. Attention fusion shows its softmax weights, average fusion 1/S, max "
                    + "fusion which scale supplies the predicted class's score.",
            "",
            "Example: ./danet scales --weights runs/att/model.danet photo1.png photo2.jpg \\",
            "           --out scales/"
        })
final class ScalesCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Pictures (PNG, JPEG, ...).")
    List<Path> images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the pictures.")
    Path out;

    @Option(names = "--npy", description = "Also write each picture's weights as DIR/<name>-scales.npy: float32, "
            + "(scales, height, width), in the order of the model's scales (for analyses such as "
            + "tools/scale_weights_by_size.py).")
    boolean npy;

    @Override
    public Integer call() {
        try (LoadedModel loaded = LoadedModel.load(model.weights, model.toLoaderOptions(), System.err)) {
            Network network = loaded.network();
            if (network.multiScale() == null) {
                throw new DanetException(model.weights + ": holds a single-scale model (" + network.config().describe()
                        + "); scale weights need one trained with --scales");
            }
            List<Double> scales = network.config().scales().scales();
            InputGuard guard = InputGuard.of(images);
            for (Path file : images) {
                guard.refuse(out.resolve(stem(file) + "-scales.png"), "the scale-weight picture of " + file);
                if (npy) {
                    guard.refuse(out.resolve(stem(file) + "-scales.npy"), "the scale weights of " + file);
                }
            }
            for (Path file : images) {
                RgbImage photo = ImageDecoder.readRgb(file);
                float[] weights;
                int[] labels;
                try (NDManager scope = network.manager().newSubManager()) {
                    NDArray x = scope.create(Normalization.toChw(photo), new Shape(1, 3, photo.height(), photo.width()))
                            .toType(network.dataType(), false);
                    weights = network.scaleWeights(x).toType(DataType.FLOAT32, false).toFloatArray();
                    labels = network.predict(x).argMax(1).toType(DataType.INT32, false).toIntArray();
                }
                Path target = out.resolve(stem(file) + "-scales.png");
                Images.writePng(target, ScaleWeightMaps.draw(photo, weights, scales,
                        LabelPictures.colour(labels, photo.width(), photo.height(), loaded.classes())));
                if (npy) {
                    Npy.writeFloat32(out.resolve(stem(file) + "-scales.npy"), weights,
                            new long[] {scales.size(), photo.height(), photo.width()});
                }
                System.out.println(target + ": mean weight " + means(weights, scales));
            }
        }
        return 0;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String means(float[] weights, List<Double> scales) {
        int plane = weights.length / scales.size();
        List<String> parts = new ArrayList<>();
        for (int s = 0; s < scales.size(); s++) {
            double sum = 0;
            for (int i = 0; i < plane; i++) {
                sum += weights[s * plane + i];
            }
            parts.add(String.format("scale %s %.3f", scales.get(s), sum / plane));
        }
        return String.join(", ", parts);
    }
}
