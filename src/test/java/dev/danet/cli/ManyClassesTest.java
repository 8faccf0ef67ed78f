package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.inference.LoadedModel;
import dev.danet.io.ModelLoader;
import dev.danet.io.Npy;
import dev.danet.nn.HeadType;
import dev.danet.nn.Network;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import dev.danet.testing.TorchSaveFiles;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with more classes than a byte holds (300, as ADE20K-full or COCO-Stuff-style models
 * have): it loads for info, segment and the service alike, and its label PNG is 16-bit.
 */
class ManyClassesTest {

    private static final int CLASSES = 300;

    @TempDir
    static Path shared;

    private static Path weights;

    @BeforeAll
    static void model() throws IOException {
        try (Network network = Network.create(TinyModels.config(HeadType.FCN).withClasses(CLASSES))) {
            weights = Files.write(shared.resolve("classes300.pth"),
                    TorchSaveFiles.zip(TorchSaveFiles.stateDict(network)));
        }
    }

    @Test
    void infoDescribesAThreeHundredClassModel() {
        CliRunner.Result r = CliRunner.run("info", "--weights", weights.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("classes:    300"), r.out());
    }

    @Test
    void theServiceLoadsItWithAColourPerClass() {
        try (LoadedModel model = LoadedModel.load(weights, ModelLoader.Options.defaults(),
                new PrintStream(PrintStream.nullOutputStream()))) {
            assertEquals(CLASSES, model.classes().size());
            assertEquals(CLASSES, java.util.Arrays.stream(model.classes().colours()).distinct().count());
        }
    }

    @Test
    void segmentWritesASixteenBitLabelPngOfTheArgmax() throws IOException {
        Path image = Files.write(shared.resolve("photo.png"), BadImages.png(24, 16, 5));
        Path out = shared.resolve("out");
        CliRunner.Result r = CliRunner.run("segment", "--weights", weights.toString(), image.toString(),
                "--out", out.toString(), "--logits");
        assertEquals(0, r.code(), r.err());
        BufferedImage label = ImageIO.read(out.resolve("photo_label.png").toFile());
        assertEquals(16, label.getColorModel().getPixelSize());
        float[] logits = Npy.read(out.resolve("photo_logits.npy")).toFloats();
        Raster values = label.getRaster();
        int plane = 24 * 16;
        for (int i = 0; i < plane; i++) {
            int best = 0;
            for (int k = 1; k < CLASSES; k++) {
                if (logits[k * plane + i] > logits[best * plane + i]) {
                    best = k;
                }
            }
            assertEquals(best, values.getSample(i % 24, i / 24, 0), "label = argmax at pixel " + i);
        }
    }
}
