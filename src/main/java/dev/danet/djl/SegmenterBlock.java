package dev.danet.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.danet.api.Segmentation;
import dev.danet.api.Segmenter;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A DJL block around a {@link Segmenter}: an RGB picture (H, W, 3) uint8 in, the class index
 * per pixel (H, W) int32 out, at the picture's size. The weights are the segmenter's, outside
 * DJL's parameter store; the segmenter's lock makes the block safe for several predictors.
 */
public final class SegmenterBlock extends AbstractBlock {

    private final Segmenter segmenter;

    /**
     * A block running the segmenter; closing the segmenter (as closing the model does) ends it.
     *
     * @param segmenter a loaded segmenter, owned by the caller
     */
    public SegmenterBlock(Segmenter segmenter) {
        this.segmenter = segmenter;
    }

    /**
     * The model's class names.
     *
     * @return the names by class index
     */
    public List<String> classNames() {
        return segmenter.classNames();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray picture = inputs.singletonOrThrow();
        Shape shape = picture.getShape();
        if (shape.dimension() != 3 || shape.get(2) != 3) {
            throw new IllegalArgumentException("expects an RGB picture (H, W, 3), got " + shape);
        }
        Segmentation s = segmenter.segment(toBufferedImage(picture));
        return new NDList(picture.getManager().create(s.labels(), new Shape(s.height(), s.width())));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1))};
    }

    private static BufferedImage toBufferedImage(NDArray picture) {
        int height = (int) picture.getShape().get(0);
        int width = (int) picture.getShape().get(1);
        byte[] rgb = picture.toType(DataType.UINT8, false).toByteArray();
        int[] packed = new int[width * height];
        for (int i = 0; i < packed.length; i++) {
            packed[i] = (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | rgb[3 * i + 2] & 0xff;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, packed, 0, width);
        return image;
    }
}
