package dev.danet.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.io.TestRecipe;
import dev.danet.nn.BilinearResize;
import dev.danet.nn.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-scale, flipped, sliding-window inference on one image, as the reference evaluates
 * (see {@link InferenceOptions} for every choice). The score map returned is the sum over
 * scales of each scale's scores resized to the original size; with the default
 * {@link InferenceOptions.ScoreKind#LOGITS} those are logits.
 *
 * <p>With one scale of 1 at the image's own size, no flip and no padding of small images, an
 * image whose sides are at most the crop gives exactly the predictor's output.
 *
 * <p>Memory: every intermediate lives in a sub-manager closed before returning (one per
 * window, so a window's activations are freed before the next runs); only the result stays,
 * on the input's manager.
 */
public final class SegmentationInference {

    /** How one scale is run, for logs and tests. */
    public record ScalePlan(double scale, int height, int width, boolean sliding, int windowRows, int windowColumns) {

        public int windows() {
            return windowRows * windowColumns;
        }
    }

    private final ScorePredictor predictor;
    private final InferenceOptions options;
    private final SlidingWindows windows;

    public SegmentationInference(ScorePredictor predictor, InferenceOptions options) {
        this.predictor = predictor;
        this.options = options;
        this.windows = options.windows();
    }

    /** Inference with a network's main output. */
    public static SegmentationInference of(Network network, InferenceOptions options) {
        return new SegmentationInference(network::predict, options);
    }

    public InferenceOptions options() {
        return options;
    }

    /** What each scale does to an image of the given size. */
    public List<ScalePlan> plan(int height, int width) {
        List<ScalePlan> plans = new ArrayList<>();
        for (double scale : options.scales()) {
            int[] size = options.scaledSize(height, width, scale);
            boolean sliding = !options.runsWhole(size[0], size[1]);
            plans.add(new ScalePlan(scale, size[0], size[1], sliding,
                    sliding ? windows.count(size[0]) : 1, sliding ? windows.count(size[1]) : 1));
        }
        return plans;
    }

    /** Scores and argmax labels of a normalised image, (3, H, W) or (1, 3, H, W). */
    public Prediction predict(NDArray image) {
        NDArray scores = scores(image);
        int height = (int) scores.getShape().get(1);
        int width = (int) scores.getShape().get(2);
        int[] labels;
        try (NDArray argmax = scores.argMax(0); NDArray ints = argmax.toType(DataType.INT32, false)) {
            labels = ints.toIntArray();
        }
        return new Prediction(scores, labels, height, width);
    }

    /** The summed score map (K, H, W) of a normalised image, (3, H, W) or (1, 3, H, W), on its manager. */
    public NDArray scores(NDArray image) {
        Shape shape = image.getShape();
        boolean batched = shape.dimension() == 4;
        if (!(shape.dimension() == 3 || batched && shape.get(0) == 1)) {
            throw new IllegalArgumentException("expected one image, (C, H, W) or (1, C, H, W), got " + shape);
        }
        NDManager caller = image.getManager();
        try (NDManager work = caller.newSubManager()) {
            image.tempAttach(work);
            NDArray x = batched ? image : image.expandDims(0);
            int height = (int) x.getShape().get(2);
            int width = (int) x.getShape().get(3);
            NDArray total = null;
            for (double scale : options.scales()) {
                NDArray scaleScores = scaleScores(x, scale, height, width);
                total = total == null ? scaleScores : total.addi(scaleScores);
            }
            NDArray result = total.squeeze(0);
            result.attach(caller);
            return result;
        }
    }

    /** One scale's scores, resized to (height, width), on x's manager. */
    private NDArray scaleScores(NDArray x, double scale, int height, int width) {
        NDManager target = x.getManager();
        try (NDManager scope = target.newSubManager()) {
            x.tempAttach(scope);
            int[] size = options.scaledSize(height, width, scale);
            // The reference resizes with aligned corners; mmseg with cv2 (half-pixel) and its logits half-pixel.
            boolean aligned = options.convention() == TestRecipe.Convention.REFERENCE;
            NDArray scaled = BilinearResize.resize(x, size[0], size[1], aligned);
            NDArray scores = options.runsWhole(size[0], size[1]) ? whole(scaled) : slide(scaled);
            NDArray back = BilinearResize.resize(scores, height, width, aligned);
            if (back == x) {
                back = back.duplicate();
            }
            back.attach(target);
            return back;
        }
    }

    /** The whole (resized) image at once; padded to crop first if the options say so. */
    private NDArray whole(NDArray x) {
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        if (options.padSmallImages() && (h < options.crop() || w < options.crop())) {
            return cropTo(run(pad(x, options.crop(), options.crop())), h, w);
        }
        return run(x);
    }

    /** Sliding crop x crop windows; overlapping scores averaged (sum / number of windows). */
    private NDArray slide(NDArray x) {
        NDManager home = x.getManager();
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        NDArray sums = null;
        for (SlidingWindows.Span r : windows.spans(h)) {
            for (SlidingWindows.Span c : windows.spans(w)) {
                NDIndex region = new NDIndex(":, :, {}:{}, {}:{}", r.start(), r.end(), c.start(), c.end());
                // One scope per window: its input, activations and scores are freed before the next.
                try (NDManager scope = home.newSubManager()) {
                    x.tempAttach(scope);
                    NDArray window = x.get(region);
                    NDArray padded = windows.keepInside() ? window : pad(window, options.crop(), options.crop());
                    NDArray scores = cropTo(run(padded), r.length(), c.length());
                    if (sums == null) {
                        sums = home.zeros(new Shape(1, scores.getShape().get(1), h, w), scores.getDataType());
                    }
                    sums.tempAttach(scope);
                    sums.set(region, sums.get(region).add(scores));
                }
            }
        }
        // Windows form a grid, so a pixel's window count is (row windows) x (column windows).
        int[] rowCounts = windows.coverage(h);
        int[] colCounts = windows.coverage(w);
        float[] counts = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int col = 0; col < w; col++) {
                counts[y * w + col] = rowCounts[y] * colCounts[col];
            }
        }
        NDArray norm = home.create(counts, new Shape(1, 1, h, w)).toType(sums.getDataType(), false);
        // In place: the sums are K floats per pixel (0.9 GB for 12 megapixels and 19 classes); a copy would double that.
        return sums.divi(norm);
    }

    /** The predictor's scores of x, plus those of x flipped (flipped back), as logits or exp(logits). */
    private NDArray run(NDArray x) {
        NDArray scores = predictor.scores(x);
        if (options.flip()) {
            scores = scores.add(predictor.scores(x.flip(3)).flip(3));
        }
        return options.scoreKind() == InferenceOptions.ScoreKind.EXP ? scores.exp() : scores;
    }

    /** x padded at the bottom and right to (height, width) with the pad value. */
    private NDArray pad(NDArray x, int height, int width) {
        Shape shape = x.getShape();
        long channels = shape.get(1);
        long h = shape.get(2);
        long w = shape.get(3);
        if (h >= height && w >= width) {
            return x;
        }
        NDManager manager = x.getManager();
        NDArray fill;
        if (options.padValue() == InferenceOptions.PadValue.MEAN_COLOUR) {
            fill = manager.zeros(new Shape(1, channels, 1, 1), x.getDataType());
        } else {
            if (channels != 3) {
                throw new IllegalArgumentException("black padding needs 3 channels, got " + channels);
            }
            fill = manager.create(options.padValue().normalised(), new Shape(1, 3, 1, 1)).toType(x.getDataType(), false);
        }
        NDArray out = x;
        if (w < width) {
            out = NDArrays.concat(new NDList(out, fill.broadcast(new Shape(1, channels, h, width - w))), 3);
        }
        if (h < height) {
            out = NDArrays.concat(new NDList(out, fill.broadcast(new Shape(1, channels, height - h, width))), 2);
        }
        return out;
    }

    private static NDArray cropTo(NDArray scores, int height, int width) {
        Shape shape = scores.getShape();
        if (shape.get(2) == height && shape.get(3) == width) {
            return scores;
        }
        return scores.get(new NDIndex(":, :, :{}, :{}", height, width));
    }
}
