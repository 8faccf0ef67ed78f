package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.danet.io.ModelCheckpoint;
import dev.danet.io.Npy;
import dev.danet.io.TensorData;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import dev.danet.nn.ScaleConfig;
import dev.danet.nn.ScaleFusion;
import dev.danet.testing.TinyDatasets;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on an Attention-to-Scale model: train with --scales, eval without flags, scale pictures. */
class ScalesCommandTest {

    private static final ModelConfig FCN = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.FCN,
            false, 3);

    @TempDir
    Path dir;

    private Path model(ModelConfig config) {
        Path file = dir.resolve("model.danet");
        try (Network network = Network.create(config)) {
            network.parameters().get("head.conv5.4.bias").getArray().addi(0.1f);
            if (network.multiScale() != null && network.multiScale().attention() != null) {
                network.parameters().get("scale_attention.2.weight").getArray().addi(0.2f);
            }
            ModelCheckpoint.save(file, network, Map.of());
        }
        return file;
    }

    @Test
    void scalesWritesOnePicturePerImageWithEveryScalesPanel() throws IOException {
        Path data = TinyDatasets.folder(dir.resolve("data"), 0, 2, 32);
        Path file = model(FCN.withScales(ScaleConfig.paper()));
        Path out = dir.resolve("pictures");
        CliRunner.Result r = CliRunner.run("scales", "--weights", file.toString(),
                data.resolve("images/val/i0.png").toString(), data.resolve("images/val/i1.png").toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("scale 0.75"), r.out());
        BufferedImage picture = ImageIO.read(out.resolve("i1-scales.png").toFile());
        // photo + 3 weight maps + most-weighted scale + segmentation, each 32 wide.
        assertEquals(6 * 32, picture.getWidth());
        assertTrue(Files.isRegularFile(out.resolve("i0-scales.png")));
    }

    @Test
    void npyHoldsEachScalesWeightsPerPixelSummingToOne() throws IOException {
        Path data = TinyDatasets.folder(dir.resolve("data"), 0, 1, 32);
        Path file = dir.resolve("uneven.danet");
        try (Network network = Network.create(FCN.withScales(ScaleConfig.paper()))) {
            // A bias per scale on the attention's last layer: weights that differ from scale to scale.
            NDArray bias = network.parameters().get("scale_attention.2.bias").getArray();
            bias.addi(bias.getManager().create(new float[] {1f, 0f, -1f}));
            ModelCheckpoint.save(file, network, Map.of());
        }
        Path out = dir.resolve("weights");
        CliRunner.Result r = CliRunner.run("scales", "--weights", file.toString(), "--npy",
                data.resolve("images/val/i0.png").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        TensorData weights = Npy.read(out.resolve("i0-scales.npy"));
        assertEquals(List.of(3L, 32L, 32L), Arrays.stream(weights.shape()).boxed().toList());
        float[] w = weights.toFloats();
        int plane = 32 * 32;
        boolean uneven = false;
        for (int i = 0; i < plane; i++) {
            assertEquals(1.0, w[i] + w[plane + i] + w[2 * plane + i], 1e-5, "pixel " + i);
            uneven |= Math.abs(w[i] - 1.0 / 3) > 1e-3;
        }
        assertTrue(uneven, "attention weights that are all 1/3 would not show the scales apart");
    }

    @Test
    void segmentRunsAMultiScaleModelFromItsCheckpointAlone() throws IOException {
        Path data = TinyDatasets.folder(dir.resolve("data"), 0, 1, 32);
        Path file = model(FCN.withScales(ScaleConfig.paper()));
        Path image = data.resolve("images/val/i0.png");
        Path out = dir.resolve("segmented");
        CliRunner.Result r = CliRunner.run("segment", "--weights", file.toString(), image.toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        dev.danet.data.RgbImage photo = dev.danet.data.ImageDecoder.readRgb(image);
        int[] expected;
        try (Network network = dev.danet.io.ModelLoader.load(file, dev.danet.io.ModelLoader.Options.defaults(),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
                ai.djl.ndarray.NDManager m = network.manager().newSubManager()) {
            assertTrue(network.multiScale() != null);
            ai.djl.ndarray.NDArray x = m.create(dev.danet.data.Normalization.toChw(photo),
                    new ai.djl.ndarray.types.Shape(1, 3, photo.height(), photo.width()));
            expected = network.predict(x).argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
        }
        int[] labels = dev.danet.data.ImageDecoder.readLabels(out.resolve("i0_label.png")).values();
        assertEquals(expected.length, labels.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], labels[i], "pixel " + i);
        }
    }

    @Test
    void aSingleScaleModelHasNoScalePicturesAndSaysWhy() throws IOException {
        Path data = TinyDatasets.folder(dir.resolve("data"), 0, 1, 32);
        CliRunner.Result r = CliRunner.run("scales", "--weights", model(FCN).toString(),
                data.resolve("images/val/i0.png").toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().strip().startsWith("error: ") && r.err().contains("single-scale"), r.err());
    }

    @Test
    void evalReadsTheScalesFromTheCheckpointWithoutFlags() throws IOException {
        Path data = TinyDatasets.folder(dir.resolve("data"), 0, 2, 32);
        Path file = model(FCN.withScales(new ScaleConfig(List.of(1.0, 0.5), ScaleFusion.MAX)));
        CliRunner.Result info = CliRunner.run("info", "--weights", file.toString());
        assertTrue(info.out().contains("scales 1/0.5, max fusion"), info.out());
        CliRunner.Result r = CliRunner.run("eval", "--weights", file.toString(), "--data", data.toString(),
                "--dataset", "folder", "--out", dir.resolve("eval").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mIoU over all 3 classes"), r.out());
    }

    @Test
    void trainWithScalesSavesTheWrapperAndRejectsStrayScaleWeights() {
        Path data = TinyDatasets.folder(dir.resolve("data"), 2, 1, 32);
        Path out = dir.resolve("run");
        CliRunner.Result r = CliRunner.run("train", "--model", "fcn", "--backbone", "resnet18", "--width",
                "4", "--data", data.toString(), "--dataset", "folder", "--crop", "32", "--batch", "2", "--iterations", "1",
                "--scales", "1,0.5", "--fusion", "average", "--scale-loss-weights", "0.5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        ModelConfig saved = ModelCheckpoint.readHeader(out.resolve("model.danet")).config();
        assertEquals(new ScaleConfig(List.of(1.0, 0.5), ScaleFusion.AVERAGE), saved.scales());
        CliRunner.Result bad = CliRunner.run("train", "--model", "fcn", "--data", data.toString(),
                "--dataset", "folder", "--iterations", "1", "--scale-loss-weights", "1", "--out",
                dir.resolve("bad").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--scale-loss-weights needs --scales"), bad.err());
    }
}
