package dev.danet.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.nn.BilinearResize;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Multi-scale / flip / sliding-window inference. Window arithmetic is checked with fake
 * predictors whose output at a pixel depends only on that pixel (so windows must give exactly
 * the whole-image answer); a small random network checks the whole-image path is predict itself.
 */
class SegmentationInferenceTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A per-pixel, non-linear "network": 4 score maps from the 3 input channels. */
    static NDArray perPixel(NDArray x) {
        NDArray c0 = x.get(":, 0:1");
        NDArray c1 = x.get(":, 1:2");
        NDArray c2 = x.get(":, 2:3");
        return NDArrays.concat(new NDList(c0.mul(1), c1.mul(2), c2.sub(c0), c0.mul(c1)), 1);
    }

    /** Records the shape of every input it is given, then delegates. */
    static final class Spy implements ScorePredictor {
        final List<Shape> inputs = new ArrayList<>();
        final ScorePredictor inner;

        Spy(ScorePredictor inner) {
            this.inner = inner;
        }

        @Override
        public NDArray scores(NDArray images) {
            inputs.add(images.getShape());
            return inner.scores(images);
        }
    }

    private static NDArray randomImage(int height, int width, DataType type, long seed) {
        Random random = new Random(seed);
        double[] values = new double[3 * height * width];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return manager.create(values, new Shape(3, height, width)).toType(type, false);
    }

    private static double maxAbsDiff(NDArray a, NDArray b) {
        assertEquals(a.getShape(), b.getShape());
        double[] x = a.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] y = b.toType(DataType.FLOAT64, false).toDoubleArray();
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }

    @Test
    void slidingWindowsReproduceWholeImageScoresForAPerPixelPredictor() {
        try (NDManager m = manager.newSubManager()) {
            NDArray image = randomImage(37, 53, DataType.FLOAT64, 1);
            image.attach(m);
            Spy spy = new Spy(SegmentationInferenceTest::perPixel);
            InferenceOptions sliding = InferenceOptions.singleScale(16);
            NDArray windowed = new SegmentationInference(spy, sliding).scores(image);
            // 16 x 16 windows every 10 pixels: 4 rows x 5 columns, each padded to the crop
            assertEquals(20, spy.inputs.size());
            spy.inputs.forEach(s -> assertEquals(new Shape(1, 3, 16, 16), s));
            NDArray whole = new SegmentationInference(SegmentationInferenceTest::perPixel,
                    InferenceOptions.singleScale(64)).scores(image);
            NDArray direct = perPixel(image.expandDims(0)).squeeze(0);
            assertEquals(0.0, maxAbsDiff(whole, direct));
            assertTrue(maxAbsDiff(windowed, direct) < 1e-12, "overlaps are averaged: " + maxAbsDiff(windowed, direct));
            for (double ratio : new double[] {0.5, 1.0, 0.1}) {
                NDArray other = new SegmentationInference(SegmentationInferenceTest::perPixel,
                        sliding.withStrideRatio(ratio)).scores(image);
                assertTrue(maxAbsDiff(other, direct) < 1e-12, "stride ratio " + ratio);
            }
        }
    }

    @Test
    void overlappingWindowsAreAveragedNotSummed() {
        try (NDManager m = manager.newSubManager()) {
            NDArray image = m.zeros(new Shape(3, 30, 41));
            ScorePredictor ones = x -> x.getManager().ones(new Shape(1, 2, x.getShape().get(2), x.getShape().get(3)));
            NDArray scores = new SegmentationInference(ones, InferenceOptions.singleScale(12).withStrideRatio(0.25))
                    .scores(image);
            assertEquals(new Shape(2, 30, 41), scores.getShape());
            for (float v : scores.toFloatArray()) {
                assertEquals(1f, v);
            }
        }
    }

    @Test
    void cropAtLeastTheImageSizeRunsTheNetworkOnceAndEqualsPredictExactly() {
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.FCN, false, 3);
        try (Network network = Network.create(config); NDManager m = network.manager().newSubManager()) {
            NDArray image = randomImage(24, 32, DataType.FLOAT32, 2);
            image.attach(m);
            NDArray expected = network.predict(image.expandDims(0)).squeeze(0);
            for (InferenceOptions options : List.of(InferenceOptions.singleScale(32), InferenceOptions.singleScale(512),
                    InferenceOptions.of(new double[] {1.0}, false, 32, 32))) {
                Spy spy = new Spy(network::predict);
                Prediction p = new SegmentationInference(spy, options).predict(image);
                assertEquals(List.of(new Shape(1, 3, 24, 32)), spy.inputs, "one whole-image run, no padding");
                assertArrayEquals(expected.toFloatArray(), p.scores().toFloatArray(), options.toString());
                assertEquals(24, p.height());
                assertEquals(32, p.width());
            }
            // And the sliding path runs the real network on crop-sized windows only.
            Spy spy = new Spy(network::predict);
            NDArray windowed = new SegmentationInference(spy, InferenceOptions.singleScale(16)).scores(image);
            assertEquals(new Shape(3, 24, 32), windowed.getShape());
            assertEquals(2 * 3, spy.inputs.size());
            spy.inputs.forEach(s -> assertEquals(new Shape(1, 3, 16, 16), s));
        }
    }

    @Test
    void paddedPixelsHoldTheMeanColourOrBlack() {
        for (InferenceOptions.PadValue pad : InferenceOptions.PadValue.values()) {
            try (NDManager m = manager.newSubManager()) {
                NDArray image = m.full(new Shape(3, 20, 21), 5f);
                float[] padValues = pad.normalised();
                int[] padded = {0};
                ScorePredictor check = x -> {
                    assertEquals(new Shape(1, 3, 16, 16), x.getShape());
                    float[] v = x.toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        if (v[i] != 5f) {
                            assertEquals(padValues[i / 256], v[i], 1e-6, pad + " channel " + i / 256);
                            padded[0]++;
                        }
                    }
                    return perPixel(x);
                };
                new SegmentationInference(check, InferenceOptions.singleScale(16).withPadValue(pad)).scores(image);
                assertTrue(padded[0] > 0, "windows past the edge were padded");
            }
        }
        assertEquals(0f, InferenceOptions.PadValue.MEAN_COLOUR.normalised()[1]);
        assertEquals(-0.485f / 0.229f, InferenceOptions.PadValue.BLACK.normalised()[0], 1e-6);
    }

    @Test
    void flipOfAMirrorSymmetricPredictorDoublesTheScores() {
        try (NDManager m = manager.newSubManager()) {
            NDArray image = randomImage(20, 27, DataType.FLOAT64, 3);
            image.attach(m);
            for (int crop : new int[] {64, 12}) {
                InferenceOptions plain = InferenceOptions.singleScale(crop);
                InferenceOptions flipped = InferenceOptions.of(new double[] {1.0}, true, crop, 0);
                NDArray once = new SegmentationInference(SegmentationInferenceTest::perPixel, plain).scores(image);
                NDArray twice = new SegmentationInference(SegmentationInferenceTest::perPixel, flipped).scores(image);
                assertTrue(maxAbsDiff(twice, once.mul(2)) < 1e-12, "crop " + crop);
            }
        }
    }

    @Test
    void flipRunsTheMirroredImageAndFlipsItsScoresBack() {
        try (NDManager m = manager.newSubManager()) {
            int width = 9;
            NDArray image = randomImage(5, width, DataType.FLOAT64, 4);
            image.attach(m);
            // score = channel 0 + column index: not mirror-symmetric
            ScorePredictor ramp = x -> x.get(":, 0:1").add(
                    x.getManager().arange(0, (int) x.getShape().get(3)).toType(x.getDataType(), false));
            InferenceOptions flip = InferenceOptions.of(new double[] {1.0}, true, 64, 0);
            NDArray scores = new SegmentationInference(ramp, flip).scores(image);
            NDArray expected = image.get("0:1").mul(2).add(width - 1);
            assertTrue(maxAbsDiff(scores, expected) < 1e-12, "x + c and flip(flip(x) + c) sum to 2x + (w - 1)");
        }
    }

    @Test
    void scalesAreSummedAndOneScaleOfOneIsTheSingleScaleResult() {
        try (NDManager m = manager.newSubManager()) {
            NDArray image = randomImage(18, 25, DataType.FLOAT64, 5);
            image.attach(m);
            NDArray single = new SegmentationInference(SegmentationInferenceTest::perPixel,
                    InferenceOptions.singleScale(64)).scores(image);
            InferenceOptions multiOfOne = InferenceOptions.of(new double[] {1.0}, false, 64, 0)
                    .withStrideRatio(InferenceOptions.MULTI_SCALE_STRIDE);
            NDArray viaMulti = new SegmentationInference(SegmentationInferenceTest::perPixel, multiOfOne).scores(image);
            assertEquals(0.0, maxAbsDiff(single, viaMulti));
            NDArray doubled = new SegmentationInference(SegmentationInferenceTest::perPixel,
                    InferenceOptions.of(new double[] {1.0, 1.0}, false, 64, 0)).scores(image);
            assertTrue(maxAbsDiff(doubled, single.mul(2)) < 1e-12);
        }
    }

    @Test
    void eachScaleIsResizedBackToTheOriginalSizeBeforeSumming() {
        try (NDManager m = manager.newSubManager()) {
            NDArray image = randomImage(20, 30, DataType.FLOAT64, 6);
            image.attach(m);
            Spy spy = new Spy(SegmentationInferenceTest::perPixel);
            InferenceOptions options = InferenceOptions.of(new double[] {0.5, 1.5}, false, 64, 0);
            NDArray scores = new SegmentationInference(spy, options).scores(image);
            assertEquals(new Shape(4, 20, 30), scores.getShape());
            assertEquals(List.of(new Shape(1, 3, 10, 15), new Shape(1, 3, 30, 45)), spy.inputs);
            NDArray x = image.expandDims(0);
            NDArray expected = BilinearResize.alignCorners(perPixel(BilinearResize.alignCorners(x, 10, 15)), 20, 30)
                    .add(BilinearResize.alignCorners(perPixel(BilinearResize.alignCorners(x, 30, 45)), 20, 30))
                    .squeeze(0);
            assertTrue(maxAbsDiff(scores, expected) < 1e-12);
            List<SegmentationInference.ScalePlan> plan = new SegmentationInference(spy, options).plan(20, 30);
            assertEquals(new SegmentationInference.ScalePlan(1.5, 30, 45, false, 1, 1), plan.get(1));
        }
    }

    @Test
    void referenceExactPadsSmallImagesToTheCropAndSumsExpScores() {
        try (NDManager m = manager.newSubManager()) {
            NDArray image = randomImage(10, 13, DataType.FLOAT64, 7);
            image.attach(m);
            Spy spy = new Spy(SegmentationInferenceTest::perPixel);
            InferenceOptions reference = InferenceOptions.singleScale(16).referenceExact();
            NDArray scores = new SegmentationInference(spy, reference).scores(image);
            assertEquals(List.of(new Shape(1, 3, 16, 16)), spy.inputs);
            NDArray expected = perPixel(image.expandDims(0)).exp().squeeze(0);
            assertTrue(maxAbsDiff(scores, expected) < 1e-12);
        }
    }

    @Test
    void predictionLabelsAreTheArgmaxOfTheScores() {
        try (NDManager m = manager.newSubManager()) {
            NDArray image = randomImage(6, 7, DataType.FLOAT32, 8);
            image.attach(m);
            Prediction p = new SegmentationInference(SegmentationInferenceTest::perPixel,
                    InferenceOptions.singleScale(64)).predict(image);
            float[] s = p.scores().toFloatArray();
            int plane = 6 * 7;
            for (int i = 0; i < plane; i++) {
                int best = 0;
                for (int k = 1; k < 4; k++) {
                    if (s[k * plane + i] > s[best * plane + i]) {
                        best = k;
                    }
                }
                assertEquals(best, p.labels()[i], "pixel " + i);
            }
            assertEquals(m, p.scores().getManager(), "the result lives on the input's manager");
        }
    }
}
