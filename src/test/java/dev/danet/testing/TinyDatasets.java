package dev.danet.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Tiny datasets in the generic folder layout, written for a test. */
public final class TinyDatasets {

    private TinyDatasets() {}

    /**
     * images/{train,val}/iN.png + masks/{train,val}/iN.png + classes.txt with 3 classes: a
     * bright square (class 2) on a background split into dark left (0) and grey right (1).
     */
    public static Path folder(Path root, int train, int val, int size) {
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve("classes.txt"), "dark\ngrey\nsquare\n");
            Random random = new Random(5);
            for (String split : new String[] {"train", "val"}) {
                int count = split.equals("train") ? train : val;
                for (int n = 0; n < count; n++) {
                    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                    BufferedImage mask = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
                    int side = size / 4 + random.nextInt(size / 4);
                    int x0 = random.nextInt(size - side);
                    int y0 = random.nextInt(size - side);
                    for (int y = 0; y < size; y++) {
                        for (int x = 0; x < size; x++) {
                            boolean square = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
                            int label = square ? 2 : x < size / 2 ? 0 : 1;
                            int grey = label == 2 ? 230 : label == 1 ? 128 : 30;
                            grey = Math.max(0, Math.min(255, grey + random.nextInt(21) - 10));
                            image.setRGB(x, y, (grey << 16) | (grey << 8) | grey);
                            mask.getRaster().setSample(x, y, 0, label);
                        }
                    }
                    write(image, root.resolve("images").resolve(split).resolve("i" + n + ".png"));
                    write(mask, root.resolve("masks").resolve(split).resolve("i" + n + ".png"));
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }
}
