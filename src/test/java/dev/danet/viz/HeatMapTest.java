package dev.danet.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Attention and channel maps as pictures: how values become colours. */
class HeatMapTest {

    @Test
    void heatScalingKeepsZeroForAttentionAndStretchesActivations() {
        float[] fromZero = HeatMap.normalise(new float[] {0.1f, 0.2f, 0.4f}, HeatMap.Scaling.FROM_ZERO);
        assertArrayEquals(new float[] {0.25f, 0.5f, 1f}, fromZero, 1e-6f);
        float[] minMax = HeatMap.normalise(new float[] {-1f, 0f, 3f}, HeatMap.Scaling.MIN_MAX);
        assertArrayEquals(new float[] {0f, 0.25f, 1f}, minMax, 1e-6f);
        assertEquals(0x000004, HeatMap.colour(0));
        assertEquals(0xfcffa4, HeatMap.colour(1));
    }
}
