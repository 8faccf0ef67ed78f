package dev.danet.djl;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.CategoryMask;
import ai.djl.repository.zoo.Criteria;
import java.nio.file.Path;

/** DJL Criteria for DANet weights files. */
public final class DanetModels {

    private DanetModels() {}

    /**
     * Criteria for a {@code ZooModel<Image, CategoryMask>} of the weights file (.danet or a PyTorch
     * checkpoint the project reads): the model path, the PyTorch engine, {@link DanetBlockFactory}
     * as the block factory (no DJL parameter file) and {@link DanetTranslatorFactory}. Add
     * {@code optArgument("flip", "true")}, {@code "scales"} or {@code "windowSize"} as needed.
     *
     * @param weights the weights file, or a folder holding it (see {@link DanetBlockFactory})
     * @return a builder to add options to, then {@code build().loadModel()}
     */
    public static Criteria.Builder<Image, CategoryMask> criteria(Path weights) {
        return Criteria.builder()
                .setTypes(Image.class, CategoryMask.class)
                .optModelPath(weights)
                .optEngine("PyTorch")
                .optArgument("blockFactory", DanetBlockFactory.class.getName())
                .optOption("hasParameter", "false")
                .optTranslatorFactory(new DanetTranslatorFactory());
    }
}
