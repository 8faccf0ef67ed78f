package dev.danet.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.CategoryMask;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import dev.danet.api.Segmenter;
import dev.danet.nn.HeadType;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DJL's Criteria -> ZooModel -> Predictor path gives DANet's labels as a CategoryMask that drawMask draws. */
class DanetCriteriaTest {

    @TempDir
    static Path dir;

    private static final byte[] PHOTO = BadImages.png(48, 32, 11);
    private static Path weights;

    @BeforeAll
    static void save() {
        weights = TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET);
    }

    private static int[] flatten(int[][] mask) {
        int[] flat = new int[mask.length * mask[0].length];
        for (int y = 0; y < mask.length; y++) {
            System.arraycopy(mask[y], 0, flat, y * mask[0].length, mask[0].length);
        }
        return flat;
    }

    private static Image photo() throws Exception {
        return ImageFactory.getInstance().fromInputStream(new ByteArrayInputStream(PHOTO));
    }

    @Test
    void aPredictorFromCriteriaGivesTheSegmentersLabelsAsACategoryMask() throws Exception {
        int[] expected;
        try (Segmenter segmenter = Segmenter.load(weights)) {
            expected = segmenter.segment(PHOTO).labels();
        }
        try (ZooModel<Image, CategoryMask> model = DanetModels.criteria(weights).build().loadModel();
                Predictor<Image, CategoryMask> predictor = model.newPredictor()) {
            Image image = photo();
            CategoryMask mask = predictor.predict(image);
            assertEquals(32, mask.getMask().length);
            assertEquals(48, mask.getMask()[0].length);
            assertArrayEquals(expected, flatten(mask.getMask()));
            assertEquals(TinyModels.CLASSES, mask.getClasses());
            BufferedImage before = (BufferedImage) photo().getWrappedImage();
            mask.drawMask(image, 200, 0);
            BufferedImage drawn = (BufferedImage) image.getWrappedImage();
            assertEquals(48, drawn.getWidth());
            int changed = 0;
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 48; x++) {
                    changed += drawn.getRGB(x, y) != before.getRGB(x, y) ? 1 : 0;
                }
            }
            assertNotEquals(0, changed, "drawMask left the picture as it was");
        }
    }

    @Test
    void criteriaArgumentsSetHowTheModelRuns() throws Exception {
        int[] flipped;
        try (Segmenter segmenter = Segmenter.builder(weights).flip(true).scales(0.75, 1.0).build()) {
            flipped = segmenter.segment(PHOTO).labels();
        }
        try (ZooModel<Image, CategoryMask> model = DanetModels.criteria(weights).optArgument("flip", "true")
                .optArgument("scales", "0.75,1.0").build().loadModel();
                Predictor<Image, CategoryMask> predictor = model.newPredictor()) {
            assertArrayEquals(flipped, flatten(predictor.predict(photo()).getMask()));
        }
    }

    @Test
    void closingTheZooModelFreesTheSegmenter() throws Exception {
        SegmenterBlock block;
        try (ZooModel<Image, CategoryMask> model = DanetModels.criteria(weights).build().loadModel()) {
            block = (SegmenterBlock) model.getBlock();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList input = new NDList(photo().toNDArray(manager, Image.Flag.COLOR));
            assertThrows(IllegalStateException.class,
                    () -> block.forward(new ParameterStore(manager, false), input, false));
        }
    }

    @Test
    void theWeightsInAModelFolderAreFoundByTheModelsNameOrTheArgument() throws Exception {
        Path folder = java.nio.file.Files.createDirectories(dir.resolve("models"));
        Path danet = java.nio.file.Files.write(folder.resolve("street.danet"), new byte[1]);
        Path pth = java.nio.file.Files.write(folder.resolve("voc.pth"), new byte[1]);
        java.nio.file.Files.write(folder.resolve("serving.properties"), new byte[1]);
        assertEquals(pth, DanetBlockFactory.weightsFile(folder, "voc", java.util.Map.of()));
        assertEquals(danet, DanetBlockFactory.weightsFile(folder, "street", java.util.Map.of()));
        assertEquals(danet, DanetBlockFactory.weightsFile(danet, "ignored", java.util.Map.of()));
        assertEquals(pth, DanetBlockFactory.weightsFile(folder, "models", java.util.Map.of("weights", "voc.pth")));
        dev.danet.DanetException e = assertThrows(dev.danet.DanetException.class,
                () -> DanetBlockFactory.weightsFile(folder, "models", java.util.Map.of()));
        assertEquals(true, e.getMessage().contains("holds 2 weights files"), e.getMessage());
    }
}
