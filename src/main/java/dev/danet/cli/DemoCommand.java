package dev.danet.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.danet.nn.DanetHead;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import dev.danet.viz.Images;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The pipeline end to end on a built-in picture. Until training lands, the network is
 * untrained (random weights), and the demo says so: it shows that the model, the attention
 * read-out and the pictures work, not what a trained model predicts.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run DANet on a built-in picture and write pictures of its output.",
            "",
            "Runs DANet-ResNet-50 on a built-in street-like picture and writes the picture, the",
            "predicted label map and the position attention of the centre pixel as PNGs.",
            "The network is UNTRAINED (random weights): training arrives with `danet train`."
        })
final class DemoCommand implements Callable<Integer> {

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    @Option(names = "--out", defaultValue = "out/demo", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--size", defaultValue = "256x512", paramLabel = "HxW",
            description = "Picture size (default: ${DEFAULT-VALUE}).")
    String size;

    @Override
    public Integer call() {
        String[] hw = size.toLowerCase().split("x");
        int height = Integer.parseInt(hw[0].trim());
        int width = Integer.parseInt(hw[1].trim());
        BufferedImage scene = scene(height, width);
        ModelConfig config = ModelConfig.danet(ResNetDepth.RESNET50, 19);
        long start = System.nanoTime();
        try (Network network = Network.create(config); NDManager scope = network.manager().newSubManager()) {
            NDArray image = normalise(scope, scene);
            NDArray logits = network.predict(image);
            int[] labels = logits.argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
            NDList features = network.model().backbone().forward(network.parameterStore(), new NDList(image), false);
            NDArray c4 = features.get(3);
            NDArray map = ((DanetHead) network.model().head()).positionAttentionMap(network.parameterStore(), c4);
            int fh = (int) c4.getShape().get(2);
            int fw = (int) c4.getShape().get(3);
            int centre = (fh / 2) * fw + fw / 2;
            float[] row = map.get(0).get(centre).toFloatArray();
            Images.writePng(out.resolve("scene.png"), scene);
            Images.writePng(out.resolve("prediction.png"), Images.colourLabels(labels, height, width));
            Images.writePng(out.resolve("attention-centre.png"), Images.heatOverlay(scene, row, fh, fw));
            System.out.printf("model: %s, %.1f M parameters, forward at %dx%d in %.1f s%n", config.describe(),
                    network.parameterCount() / 1e6, height, width, (System.nanoTime() - start) / 1e9);
        }
        System.out.println("wrote " + out.resolve("scene.png") + ", prediction.png, attention-centre.png");
        System.out.println("note: the network is untrained (random weights); the label map and attention show the");
        System.out.println("      pipeline working, not a trained model's answer.");
        return 0;
    }

    /** A simple street-like picture: sky, buildings, vegetation, sidewalk, road, a car. */
    static BufferedImage scene(int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(110, 160, 215));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(90, 90, 95));
        g.fillRect(0, height / 5, width * 2 / 5, height / 2);
        g.setColor(new Color(150, 120, 100));
        g.fillRect(width * 3 / 5, height / 6, width * 2 / 5, height / 2);
        g.setColor(new Color(80, 130, 50));
        g.fillOval(width * 2 / 5 - 10, height / 4, width / 5 + 20, height / 3);
        g.setColor(new Color(200, 190, 180));
        g.fillRect(0, height * 2 / 3, width, height / 12);
        g.setColor(new Color(70, 70, 75));
        g.fillRect(0, height * 3 / 4, width, height / 4);
        g.setColor(new Color(180, 20, 30));
        g.fillRoundRect(width / 3, height * 5 / 8, width / 6, height / 6, 20, 20);
        g.dispose();
        return image;
    }

    static NDArray normalise(NDManager manager, BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        float[] data = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    float v = ((rgb >> (16 - 8 * c)) & 255) / 255f;
                    data[c * h * w + y * w + x] = (v - MEAN[c]) / STD[c];
                }
            }
        }
        return manager.create(data, new Shape(1, 3, h, w));
    }
}
