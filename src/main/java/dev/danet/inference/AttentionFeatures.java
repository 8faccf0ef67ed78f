package dev.danet.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.DanetException;
import dev.danet.data.Normalization;
import dev.danet.data.RgbImage;
import dev.danet.nn.BilinearResize;
import dev.danet.nn.DanetHead;
import dev.danet.nn.GradMode;
import dev.danet.nn.Network;

/**
 * What the attention pictures of one image are made from, held as plain arrays so that they
 * can be cached and shared between threads without native memory: the input of the position
 * attention module (any row of its map is computed from it on demand, without the N x N map)
 * and the output of the channel attention module (its channel maps).
 *
 * <p>The image is run whole, resized (bilinear, align_corners) so that its long side is at most
 * {@code maxSide}: attention is a property of one forward pass, not of a sliding window.
 * Feature cell (i, j) of the h x w grid sits at image pixel (j (W-1)/(w-1), i (H-1)/(h-1)), the
 * positions the model's align_corners upsampling gives it.
 *
 * @param imageWidth width of the picture the features are for (original pixels)
 * @param imageHeight height of that picture
 * @param width feature columns w
 * @param height feature rows h
 * @param pamChannels channels of the PAM input (0 when the head has no PAM)
 * @param pamInput (pamChannels, h, w) PAM input, or null
 * @param camChannels channels of the CAM output (0 when the head has no CAM)
 * @param camOutput (camChannels, h, w) CAM output, or null
 */
public record AttentionFeatures(int imageWidth, int imageHeight, int width, int height, int pamChannels,
        float[] pamInput, int camChannels, float[] camOutput) {

    /** Runs the backbone and the head's attention inputs on the picture (ImageNet normalisation). */
    public static AttentionFeatures compute(Network network, RgbImage image, int maxSide) {
        return compute(network, Normalization.IMAGENET, image, maxSide);
    }

    /** Runs the backbone and the head's attention inputs on the picture, normalised as given. */
    public static AttentionFeatures compute(Network network, Normalization normalization, RgbImage image,
            int maxSide) {
        if (!(network.baseModel().head() instanceof DanetHead head)) {
            throw new DanetException("the model has an " + network.config().head().id()
                    + " head, which has no attention modules to show; use a danet, pam or cam model");
        }
        int w = image.width();
        int h = image.height();
        double shrink = Math.min(1.0, (double) maxSide / Math.max(w, h));
        long runW = Math.max(1, Math.round(w * shrink));
        long runH = Math.max(1, Math.round(h * shrink));
        try (GradMode.Off noGraph = GradMode.off(); NDManager scope = network.manager().newSubManager()) {
            NDArray x = scope.create(normalization.chw(image), new Shape(1, 3, h, w))
                    .toType(network.dataType(), false);
            x = BilinearResize.alignCorners(x, runH, runW);
            NDList levels = network.baseModel().backbone().forward(network.parameterStore(), new NDList(x), false);
            NDArray features = levels.get(3);
            NDArray pam = head.positionAttentionInput(network.parameterStore(), features);
            NDArray cam = head.channelAttentionOutput(network.parameterStore(), features);
            Shape grid = features.getShape();
            return new AttentionFeatures(w, h, (int) grid.get(3), (int) grid.get(2),
                    pam == null ? 0 : (int) pam.getShape().get(1), floats(pam),
                    cam == null ? 0 : (int) cam.getShape().get(1), floats(cam));
        }
    }

    public boolean hasPositionAttention() {
        return pamInput != null;
    }

    public boolean hasChannelAttention() {
        return camOutput != null;
    }

    /** Feature cells h * w: the length of a PAM row and of a channel map. */
    public int cells() {
        return width * height;
    }

    /** The feature cell (row-major index) nearest to image pixel (x, y). */
    public int cellAt(int x, int y) {
        if (x < 0 || y < 0 || x >= imageWidth || y >= imageHeight) {
            throw new DanetException("point " + x + "," + y + " is outside the " + imageWidth + "x" + imageHeight
                    + " image");
        }
        return nearest(y, imageHeight, height) * width + nearest(x, imageWidth, width);
    }

    /** The image pixel {x, y} at the centre of a feature cell. */
    public int[] pixelOf(int cell) {
        return new int[] {position(cell % width, width, imageWidth), position(cell / width, height, imageHeight)};
    }

    /**
     * Row {@code cell} of PAM's attention map: where that position draws from, h * w weights
     * summing to 1, computed by {@link dev.danet.nn.PositionAttention#attentionRows}.
     */
    public float[] positionAttentionRow(Network network, int cell) {
        if (pamInput == null) {
            throw new DanetException("the model's " + network.config().head().id()
                    + " head has no position attention module");
        }
        if (cell < 0 || cell >= cells()) {
            throw new IllegalArgumentException("cell " + cell + " outside [0, " + cells() + ")");
        }
        DanetHead head = (DanetHead) network.baseModel().head();
        try (GradMode.Off noGraph = GradMode.off(); NDManager scope = network.manager().newSubManager()) {
            NDArray x = scope.create(pamInput, new Shape(1, pamChannels, height, width)).toType(network.dataType(), false);
            NDArray rows = head.positionAttention().attentionRows(network.parameterStore(), x, new int[] {cell});
            return floats(rows);
        }
    }

    /** CAM output channel c as an h * w map. */
    public float[] channelMap(int channel) {
        if (camOutput == null) {
            throw new DanetException("the model has no channel attention module");
        }
        if (channel < 0 || channel >= camChannels) {
            throw new DanetException("channel " + channel + " outside 0.." + (camChannels - 1));
        }
        float[] map = new float[cells()];
        System.arraycopy(camOutput, channel * cells(), map, 0, cells());
        return map;
    }

    /** Bytes of Java heap the arrays hold, for cache accounting. */
    public long bytes() {
        return 4L * ((pamInput == null ? 0 : pamInput.length) + (camOutput == null ? 0 : camOutput.length));
    }

    private static int nearest(int pixel, int pixels, int cellsAlong) {
        if (pixels <= 1 || cellsAlong <= 1) {
            return 0;
        }
        return (int) Math.round((double) pixel * (cellsAlong - 1) / (pixels - 1));
    }

    private static int position(int cell, int cellsAlong, int pixels) {
        if (pixels <= 1 || cellsAlong <= 1) {
            return 0;
        }
        return (int) Math.round((double) cell * (pixels - 1) / (cellsAlong - 1));
    }

    private static float[] floats(NDArray array) {
        return array == null ? null : array.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
