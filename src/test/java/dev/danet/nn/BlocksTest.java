package dev.danet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Properties of the small blocks that hold whatever the weights are. */
class BlocksTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(7);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void alignCornersResizeKeepsCornersAndInterpolatesLinearly() {
        // A ramp 0..3 along the width, resized 4 -> 7: samples at 0, 0.5, 1, ..., 3.
        NDArray x = manager.arange(4f).reshape(1, 1, 1, 4).repeat(2, 3);
        NDArray y = BilinearResize.alignCorners(x, 5, 7);
        assertEquals(new Shape(1, 1, 5, 7), y.getShape());
        float[] row = y.get(0, 0, 2).toFloatArray();
        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f, 3}, row, 1e-6f);
        assertEquals(x, BilinearResize.alignCorners(x, 3, 4), "same size is the identity");
    }

    @Test
    void alignCornersMatrixRowsSumToOne() {
        NDArray w = BilinearResize.weights(manager, 37, 5, DataType.FLOAT64);
        NDArray sums = w.sum(new int[] {1});
        assertTrue(sums.sub(1).abs().max().getDouble() < 1e-12);
    }

    @Test
    void dropout2dZeroesWholeChannelsAndRescalesTheRest() {
        Dropout2d dropout = new Dropout2d(0.5f);
        NDArray x = manager.ones(new Shape(4, 64, 3, 3));
        NDArray y = dropout.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
        float[] values = y.toFloatArray();
        int zeroChannels = 0;
        for (int c = 0; c < 4 * 64; c++) {
            float first = values[c * 9];
            for (int i = 1; i < 9; i++) {
                assertEquals(first, values[c * 9 + i], "a channel is dropped or kept as a whole");
            }
            assertTrue(first == 0f || first == 2f, "survivors are scaled by 1/(1-p)");
            zeroChannels += first == 0f ? 1 : 0;
        }
        assertTrue(zeroChannels > 80 && zeroChannels < 176, "about half the channels dropped: " + zeroChannels);
        NDArray eval = dropout.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
        assertEquals(x, eval, "identity in inference");
    }

    @Test
    void attentionModulesStartAsTheIdentity() {
        PositionAttention pam = new PositionAttention(16);
        ChannelAttention cam = new ChannelAttention();
        NDArray x = manager.randomNormal(new Shape(2, 16, 5, 4));
        ParameterStore ps = new ParameterStore(manager, false);
        pam.setInitializer(new ai.djl.training.initializer.NormalInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
        pam.initialize(manager, DataType.FLOAT32, x.getShape());
        cam.initialize(manager, DataType.FLOAT32, x.getShape());
        assertEquals(x, pam.forward(ps, new NDList(x), false).singletonOrThrow(), "gamma starts at 0");
        assertEquals(x, cam.forward(ps, new NDList(x), false).singletonOrThrow(), "beta starts at 0");
    }

    @Test
    void positionAttentionRowsAreDistributions() {
        PositionAttention pam = new PositionAttention(16);
        pam.setInitializer(new ai.djl.training.initializer.NormalInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
        NDArray x = manager.randomNormal(new Shape(2, 16, 5, 4));
        pam.initialize(manager, DataType.FLOAT32, x.getShape());
        NDArray s = pam.attention(new ParameterStore(manager, false), x, false);
        assertEquals(new Shape(2, 20, 20), s.getShape());
        assertTrue(s.sum(new int[] {2}).sub(1).abs().max().getFloat() < 1e-5);
        assertTrue(s.min().getFloat() >= 0);
    }

    @Test
    void channelAttentionUsesMaxMinusEnergy() {
        // Two channels: the softmax of (rowmax - energy) favours the channel LEAST similar to the row's.
        NDArray a = manager.create(new float[] {1, 0, 0, 0, 3, 0}, new Shape(1, 2, 3));
        NDArray x = ChannelAttention.attention(a);
        // energy = [[1, 0], [0, 9]]; rowmax - energy = [[0, 1], [9, 0]]
        float[] expected = {
            (float) (1 / (1 + Math.E)), (float) (Math.E / (1 + Math.E)),
            (float) (Math.exp(9) / (Math.exp(9) + 1)), (float) (1 / (Math.exp(9) + 1))
        };
        assertArrayEquals(expected, x.toFloatArray(), 1e-6f);
    }

    @Test
    void outputStrideEightDilatesInsteadOfStriding() {
        for (int stride : new int[] {8, 16}) {
            ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 4, false, stride, true, HeadType.FCN, false, 3);
            ResNet resnet = new ResNet(config);
            Shape[] shapes = resnet.getOutputShapes(new Shape[] {new Shape(1, 3, 64, 96)});
            assertEquals(new Shape(1, 32, 64 / stride, 96 / stride), shapes[3]);
            assertEquals(new Shape(1, 8, 8, 12), shapes[1], "layer2 is always at stride 8");
        }
    }

    @Test
    void headsNameTheirParametersAsTheReference() {
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 8, true, 8, false, HeadType.DANET, true, 3);
        try (Network network = Network.create(config)) {
            var names = network.parameters().keySet();
            for (String key : new String[] {
                "pretrained.conv1.0.weight", "pretrained.conv1.6.weight", "pretrained.bn1.running_var",
                "pretrained.layer2.0.downsample.0.weight", "pretrained.layer4.1.bn2.bias",
                "head.conv5a.0.weight", "head.conv5c.1.running_mean", "head.sa.gamma", "head.sa.query_conv.bias",
                "head.sa.value_conv.weight", "head.sc.gamma", "head.conv51.1.weight", "head.conv6.1.weight",
                "head.conv7.1.bias", "head.conv8.1.weight", "auxlayer.conv5.0.weight", "auxlayer.conv5.4.bias"}) {
                assertTrue(names.contains(key), key + " missing from " + names);
            }
            assertTrue(names.stream().noneMatch(k -> k.contains("maxpool") || k.contains("relu")));
        }
    }
}
