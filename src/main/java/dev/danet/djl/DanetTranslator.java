package dev.danet.djl;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.CategoryMask;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * DJL's {@code Image} in, its {@code CategoryMask} out (mask[row][column] = class index, with the
 * model's class names), so that {@code CategoryMask.drawMask} draws DANet's segmentation. The
 * picture goes to the {@link SegmenterBlock} as RGB; resizing, normalisation and sliding windows
 * happen there, so the mask is at the picture's own size.
 */
public final class DanetTranslator implements NoBatchifyTranslator<Image, CategoryMask> {

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        return new NDList(input.toNDArray(ctx.getNDManager(), Image.Flag.COLOR));
    }

    @Override
    public CategoryMask processOutput(TranslatorContext ctx, NDList list) {
        NDArray labels = list.singletonOrThrow();
        int height = (int) labels.getShape().get(0);
        int width = (int) labels.getShape().get(1);
        int[] flat = labels.toIntArray();
        int[][] mask = new int[height][width];
        for (int y = 0; y < height; y++) {
            System.arraycopy(flat, y * width, mask[y], 0, width);
        }
        return new CategoryMask(classNames(ctx), mask);
    }

    private static List<String> classNames(TranslatorContext ctx) {
        if (ctx.getBlock() instanceof SegmenterBlock block) {
            return block.classNames();
        }
        throw new IllegalStateException("the model's block is not a DANet segmenter; load it with"
                + " DanetModels.criteria(path)");
    }
}
