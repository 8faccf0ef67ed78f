package dev.danet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.danet.nn.SegmentationOutputs;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loss, schedule and optimiser against PyTorch's formulas computed by hand. */
class LossAndOptimizerTest {

    @Test
    void crossEntropyAveragesOverLabelledPixelsOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            // one image, 2 classes, 1x3 pixels; the third pixel is ignored
            float[] logits = {2f, 0f, -1f, /* class 1: */ 0f, 1f, 5f};
            NDArray x = m.create(logits, new Shape(1, 2, 1, 3));
            NDArray labels = m.create(new int[] {0, 1, 255}, new Shape(1, 1, 3));
            double p0 = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(0)));
            double p1 = -Math.log(Math.exp(1) / (Math.exp(0) + Math.exp(1)));
            assertEquals((p0 + p1) / 2, SegmentationLoss.crossEntropy(x, labels).getFloat(), 1e-6);
        }
    }

    @Test
    void crossEntropyOfAnAllIgnoredBatchIsZeroNotNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(1, 3, 2, 2));
            NDArray labels = m.full(new Shape(1, 2, 2), 255);
            assertEquals(0f, SegmentationLoss.crossEntropy(x, labels).getFloat(), 0f);
        }
    }

    @Test
    void weightedLossSumsTheOutputsWithTheirWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(1, 3, 2, 2));
            NDArray b = m.randomNormal(new Shape(1, 3, 2, 2));
            NDArray labels = m.create(new int[] {0, 1, 2, 255}, new Shape(1, 2, 2));
            Map<String, NDArray> maps = new LinkedHashMap<>();
            maps.put(SegmentationOutputs.MAIN, a);
            maps.put(SegmentationOutputs.AUX, b);
            var result = new SegmentationLoss(Map.of(SegmentationOutputs.MAIN, 1.0, SegmentationOutputs.AUX, 0.4))
                    .compute(new SegmentationOutputs(maps), labels);
            double expected = SegmentationLoss.crossEntropy(a, labels).getFloat()
                    + 0.4 * SegmentationLoss.crossEntropy(b, labels).getFloat();
            assertEquals(expected, result.total().getFloat(), 1e-5);
            assertEquals(java.util.List.of(SegmentationOutputs.MAIN, SegmentationOutputs.AUX),
                    java.util.List.copyOf(result.terms().keySet()), "each output's own loss, in order");
        }
    }

    @Test
    void releasingTheOutputsKeepsTheLossAndItsGradientsAndClosesEveryOutputOnce() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray values = m.randomNormal(new Shape(1, 3, 2, 2));
            NDArray labels = m.create(new int[] {0, 1, 2, 255}, new Shape(1, 2, 2));
            var loss = new SegmentationLoss(Map.of(SegmentationOutputs.MAIN, 1.0, SegmentationOutputs.AUX, 0.4));
            float[][] gradients = new float[2][];
            float[] totals = new float[2];
            for (int release = 0; release < 2; release++) {
                NDArray weights = values.duplicate();
                weights.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray main = weights.mul(2);
                    NDArray aux = weights.exp();
                    Map<String, NDArray> maps = new LinkedHashMap<>();
                    maps.put(SegmentationOutputs.MAIN, main);
                    maps.put(SegmentationOutputs.AUX, aux);
                    maps.put("same array again", aux);
                    SegmentationOutputs outputs = new SegmentationOutputs(maps);
                    var result = release == 1 ? loss.computeReleasingOutputs(outputs, labels)
                            : loss.compute(outputs, labels);
                    collector.backward(result.total());
                    totals[release] = result.total().getFloat();
                    gradients[release] = weights.getGradient().toFloatArray();
                    assertEquals(release == 1, main.isReleased(), "the main output closed only when asked");
                    assertEquals(release == 1, aux.isReleased(), "an output named twice closed (once) only when asked");
                }
            }
            assertEquals(totals[0], totals[1], 0f);
            org.junit.jupiter.api.Assertions.assertArrayEquals(gradients[0], gradients[1], 0f);
        }
    }

    @Test
    void polyScheduleFollowsTheReferenceFormula() {
        PolySchedule poly = new PolySchedule(0.01, 1000, 0.9);
        assertEquals(0.01, poly.at(0), 1e-15);
        assertEquals(0.01 * Math.pow(0.5, 0.9), poly.at(500), 1e-15);
        assertEquals(0.01 * Math.pow(1 - 999 / 1000.0, 0.9), poly.at(999), 1e-15);
        assertEquals(0.0, poly.at(1000), 1e-15);
    }

    @Test
    void sgdMatchesTorchOptimSgdWithMomentumWeightDecayAndChangingRate() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("pretrained.w", parameter(m, "w", new float[] {1.0f, -2.0f}));
            params.put("head.v", parameter(m, "v", new float[] {0.5f}));
            Sgd sgd = new Sgd(m, params, 0.9, 0.1, name -> name.startsWith("head."), 10);
            float[][] gradW = {{0.3f, -0.1f}, {-0.2f, 0.4f}};
            float[][] gradV = {{1.0f}, {0.25f}};
            double[] lrs = {0.01, 0.004};
            // torch.optim.SGD by hand: d = g + wd*w; buf = d (first) else m*buf + d; w -= lr*buf
            double[] w = {1.0, -2.0};
            double[] v = {0.5};
            double[] bufW = new double[2];
            double[] bufV = new double[1];
            for (int step = 0; step < 2; step++) {
                setGradient(params.get("pretrained.w"), gradW[step]);
                setGradient(params.get("head.v"), gradV[step]);
                sgd.step(lrs[step]);
                for (int i = 0; i < 2; i++) {
                    double d = gradW[step][i] + 0.1 * w[i];
                    bufW[i] = step == 0 ? d : 0.9 * bufW[i] + d;
                    w[i] -= lrs[step] * bufW[i];
                }
                double d = gradV[step][0] + 0.1 * v[0];
                bufV[0] = step == 0 ? d : 0.9 * bufV[0] + d;
                v[0] -= 10 * lrs[step] * bufV[0];
            }
            float[] actualW = params.get("pretrained.w").getArray().toFloatArray();
            assertEquals(w[0], actualW[0], 1e-6);
            assertEquals(w[1], actualW[1], 1e-6);
            assertEquals(v[0], params.get("head.v").getArray().getFloat(), 1e-6);
            assertEquals(0f, params.get("head.v").getArray().getGradient().getFloat(), "gradients are zeroed");
        }
    }

    @Test
    void gradientClippingScalesTheGlobalNormDownToTheLimit() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("pretrained.w", parameter(m, "w", new float[] {1.0f, 1.0f}));
            params.put("head.v", parameter(m, "v", new float[] {1.0f}));
            Sgd sgd = new Sgd(m, params, 0.9, 0.0, name -> false, 1);
            setGradient(params.get("pretrained.w"), new float[] {3f, 0f});
            setGradient(params.get("head.v"), new float[] {4f});
            double norm = sgd.step(0.1, 1.0);
            assertEquals(5.0, norm, 1e-6, "the norm before clipping is reported");
            // gradients scaled by 1/5: w -= 0.1 * (0.6, 0), v -= 0.1 * 0.8
            assertEquals(1.0 - 0.06, params.get("pretrained.w").getArray().getFloat(0), 1e-6);
            assertEquals(1.0, params.get("pretrained.w").getArray().getFloat(1), 1e-6);
            assertEquals(1.0 - 0.08, params.get("head.v").getArray().getFloat(0), 1e-6);
            setGradient(params.get("pretrained.w"), new float[] {0.3f, 0f});
            setGradient(params.get("head.v"), new float[] {0.4f});
            assertEquals(0.5, sgd.step(0.1, 1.0), 1e-6, "below the limit nothing is scaled");
        }
    }

    private static Parameter parameter(NDManager m, String name, float[] values) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(values.length)).build();
        p.setInitializer((manager, shape, type) -> manager.create(values));
        p.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32);
        return p;
    }

    /** Makes the gradient of p equal g by back-propagating sum(p * g). */
    private static void setGradient(Parameter p, float[] g) {
        NDArray w = p.getArray();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(w.mul(w.getManager().create(g)).sum());
        }
    }
}
