package dev.danet.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scale benchmark: twins swap every disc and square, so deep inside a shape the pixels are the
 * same with two labels (a local oracle is at chance there) while the outline decides; sizes span
 * 8 px to most of the height; and why no shape can outgrow the demo backbone's field of view.
 */
class ScaleBenchmarkTest {

    private static final int H = 128;
    private static final int W = 256;
    private static final int SIGN = SyntheticClass.TRAFFIC_SIGN.labelId();
    private static final int WALL = SyntheticClass.WALL.labelId();

    private static BenchmarkScene paint(long seed, String split, int index) {
        return ContextBenchmark.SCALE.paint(seed, split, index, H, W);
    }

    @Test
    void twinsSwapEveryShapeAndAreTheSamePictureAwayFromTheOutlines() {
        long inner = 0;
        long shapePixels = 0;
        for (int k = 0; k < 60; k++) {
            BenchmarkScene x = paint(1, "train", 2 * k);
            BenchmarkScene y = paint(1, "train", 2 * k + 1);
            assertEquals(x.objects().size(), y.objects().size());
            for (int i = 0; i < x.objects().size(); i++) {
                assertNotEquals(x.objects().get(i).kind(), y.objects().get(i).kind(), "pair " + k + " shape " + i);
                assertEquals(x.objects().get(i).innerPixels(), y.objects().get(i).innerPixels());
            }
            int changed = 0;
            for (int r = 0; r < H; r++) {
                for (int c = 0; c < W; c++) {
                    int lx = x.labelId(c, r);
                    int ly = y.labelId(c, r);
                    if (lx == SIGN || lx == WALL) {
                        shapePixels++;
                    }
                    if (x.inCue(c, r) || y.inCue(c, r)) {
                        changed += x.colour(c, r) != y.colour(c, r) ? 1 : 0;
                        continue;
                    }
                    assertEquals(x.colour(c, r), y.colour(c, r), "pair " + k + " pixel " + c + "," + r);
                    if (lx == SIGN || lx == WALL) {
                        assertEquals(lx == SIGN ? WALL : SIGN, ly, "inside both outlines the label swaps");
                    } else {
                        assertEquals(lx, ly);
                    }
                }
            }
            assertTrue(changed > 0, "the outlines differ");
            inner += x.objects().stream().mapToLong(BenchmarkObject::innerPixels).sum();
        }
        double share = inner / (double) shapePixels;
        System.out.printf("scale: %.1f%% of shape pixels lie more than %d px inside both outlines%n", 100 * share,
                ScaleScenePainter.INNER_RADIUS);
        assertTrue(share > 0.15, "a good part of the shapes is decided from afar: " + share);
    }

    @Test
    void innerPixelsAreTheLocallyUndecidableOnesAndTheOracleIsAtChanceOnThem() {
        LocalOracle oracle = new LocalOracle();
        for (int i = 0; i < 80; i++) {
            BenchmarkScene s = paint(2, "val", i);
            for (int k = 0; k < s.objects().size(); k++) {
                BenchmarkObject o = s.objects().get(k);
                oracle.add(s.pair() + "/" + k, o.label().labelId(), o.innerPixels());
                // inner pixels carry the shape's label in the picture
                int[] b = o.box();
                int labelled = 0;
                for (int y = b[1]; y < b[3]; y++) {
                    for (int x = b[0]; x < b[2]; x++) {
                        labelled += s.labelId(x, y) == o.label().labelId() ? 1 : 0;
                    }
                }
                assertTrue(labelled >= o.innerPixels(), "image " + i + " shape " + k);
            }
        }
        assertEquals(0.5, oracle.bestAccuracy(), 1e-12);
    }

    @Test
    void sizesSpanEightPixelsToMostOfTheHeightAndShapesStayInsideWithoutTouching() {
        List<Integer> sizes = new ArrayList<>();
        int discs = 0;
        int total = 0;
        for (int i = 0; i < 200; i++) {
            BenchmarkScene s = paint(3, "train", i);
            assertTrue(s.objects().size() >= 3 && s.objects().size() <= 6, "image " + i);
            assertTrue(s.objects().get(0).size() >= 0.45 * H - 1, "one large shape per image");
            for (BenchmarkObject o : s.objects()) {
                sizes.add(o.size());
                discs += o.kind() == BenchmarkObject.Kind.DISC ? 1 : 0;
                total++;
                int[] b = o.box();
                assertTrue(b[0] > 0 && b[1] > 0 && b[2] < W && b[3] < H, "inside the frame: " + java.util.Arrays.toString(b));
            }
        }
        int min = sizes.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        long small = sizes.stream().filter(v -> v <= 16).count();
        System.out.printf("scale: %d shapes, sizes %d..%d px, %d of 16 px or less, %d discs%n", total, min, max, small, discs);
        assertTrue(min <= 9 && max >= 0.8 * H, min + ".." + max);
        assertTrue(small > total / 10, "small shapes are common: " + small);
        assertEquals(total / 2.0, discs, 0.1 * total, "discs and squares alike");
    }

    /**
     * The demo backbone (ResNet-18, output stride 8) with the FCN head sees a window of 403 x 403 pixels:
     * stem 7x7/2 (7) and 3x3/2 max pool (11); layer1, four 3x3 convolutions at step 4 (43); layer2, four at step 8
     * (99); layer3, two at step 8 and two dilated by 2 (195); layer4, two dilated by 2 and two by 4 (387);
     * the head's 3x3 (403). A score at feature cell c depends on input columns 8c-201 .. 8c+201 exactly:
     * more than the whole 128x256 picture, at every scale. Checked by changing single input columns of a
     * random network in double precision.
     */
    @Test
    void theDemoBackboneWithAnFcnHeadSeesA403PixelWindowWiderThanTheWholePicture() {
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 16, false, 8, false, HeadType.FCN, false, 3);
        Engine.getInstance().setRandomSeed(5);
        int width = 512; // 64 feature cells; output column 292 lies exactly on cell 36 (align corners: 292 * 63 / 511)
        int column = 292;
        int centre = 8 * 36;
        try (Network network = Network.create(config, Device.cpu(), DataType.FLOAT64).setInferenceOnly(true);
                NDManager m = network.manager().newSubManager()) {
            NDArray base = m.randomNormal(new Shape(1, 3, 8, width)).toType(DataType.FLOAT64, false);
            double[] pixels = base.toDoubleArray();
            double[] reference = scoresAt(network, m, pixels, width, column);
            for (int[] probe : new int[][] {{centre - 202, 0}, {centre - 201, 1}, {centre, 1}, {centre + 201, 1},
                {centre + 202, 0}}) {
                double[] changed = pixels.clone();
                for (int ch = 0; ch < 3; ch++) {
                    for (int r = 0; r < 8; r++) {
                        changed[(ch * 8 + r) * width + probe[0]] += 3.0;
                    }
                }
                double[] scores = scoresAt(network, m, changed, width, column);
                double difference = 0;
                for (int i = 0; i < scores.length; i++) {
                    difference = Math.max(difference, Math.abs(scores[i] - reference[i]));
                }
                assertEquals(probe[1] == 1, difference > 0, "input column " + probe[0] + " changes the score by " + difference);
            }
        }
    }

    private static double[] scoresAt(Network network, NDManager m, double[] pixels, int width, int column) {
        try (NDManager scope = m.newSubManager()) {
            NDArray images = scope.create(pixels, new Shape(1, 3, 8, width));
            NDArray scores = network.forwardAll(images, false).main();
            return scores.get(":, :, :, " + column).toDoubleArray();
        }
    }
}
