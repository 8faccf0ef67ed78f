package dev.danet.synth;

/**
 * The demo scene's sky: a gradient from the top of the image to the horizon (clear, hazy,
 * overcast or dusk) with, in most images, clouds that thin out towards the horizon.
 */
final class CloudySky {

    /** {top, horizon} colours of the four kinds: clear, hazy, overcast, dusk. */
    private static final int[][] GRADIENTS = {
        {0x3C78C8, 0xAAC8E6}, {0x78A0D2, 0xD7E1EB}, {0x96A0AA, 0xC8CACE}, {0x46508C, 0xEAA878}
    };

    private final double horizon;
    private final int top;
    private final int low;
    private final boolean clouds;
    private final double cover;
    private final int cloudColour;
    private final long seed;

    CloudySky(SceneRandom r, double horizon) {
        this.horizon = horizon;
        int kind = r.weighted(0.4, 0.25, 0.2, 0.15);
        top = Colour.jitter(GRADIENTS[kind][0], r, 10, 0.05);
        low = Colour.jitter(GRADIENTS[kind][1], r, 10, 0.05);
        clouds = r.chance(0.6);
        cover = r.range(0.45, 0.7);
        cloudColour = kind == 3 ? 0xE6B4A0 : Colour.jitter(0xEBEBF0, r, 6, 0.05);
        seed = r.nextLong();
    }

    /** Paints the whole canvas as sky; what stands in front is painted over it. */
    void draw(Canvas canvas) {
        int label = SyntheticClass.SKY.labelId();
        double sx = 0.18 * canvas.width;
        double sy = 0.07 * canvas.width;
        for (int y = 0; y < canvas.height; y++) {
            double t = Noise.clamp01((y + 0.5) / Math.max(1, horizon));
            int base = Colour.mix(top, low, t);
            for (int x = 0; x < canvas.width; x++) {
                int c = base;
                if (clouds && y < horizon) {
                    double n = Noise.fbm(seed, x / sx, y / sy, 3);
                    double a = Noise.clamp01((n - cover) / 0.15) * 0.85 * (1 - 0.6 * t);
                    if (a > 0) {
                        c = Colour.mix(c, Colour.scale(cloudColour, 0.9 + 0.2 * n), a);
                    }
                }
                canvas.put(x, y, label, c);
            }
        }
    }
}
