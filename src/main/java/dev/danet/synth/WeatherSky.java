package dev.danet.synth;

/**
 * The sky of the street benchmarks, in one of two weathers: clear (a blue gradient, a few small
 * white clouds, sometimes a sun glow) or overcast (grey, heavy dark clouds, rain streaks). Both
 * looks are sampled for every image, in a fixed order, so that the weather changes the sky's
 * colours and nothing else. The two looks do not overlap: a clear sky is blue, an overcast one grey.
 */
final class WeatherSky {

    private final int clearTop;
    private final int clearLow;
    private final double clearCover;
    private final boolean sun;
    private final double sunX;
    private final double sunY;
    private final int greyTop;
    private final int greyLow;
    private final double greyCover;
    private final double rainSlant;
    private final double rainPeriod;
    private final double rainDensity;
    private final long seed;

    WeatherSky(SceneRandom r) {
        clearTop = Colour.jitter(0x3A74C8, r, 10, 0.06);
        clearLow = Colour.jitter(0xA6C8EA, r, 8, 0.04);
        clearCover = r.range(0.72, 0.85);
        sun = r.chance(0.4);
        sunX = r.range(0.1, 0.9);
        sunY = r.range(0.1, 0.5);
        double grey = r.range(0.42, 0.56);
        greyTop = Colour.rgb(255 * grey, 255 * (grey + 0.01), 255 * (grey + 0.03));
        double low = r.range(0.66, 0.76);
        greyLow = Colour.rgb(255 * low, 255 * low, 255 * (low + 0.01));
        greyCover = r.range(0.35, 0.5);
        rainSlant = r.range(-0.4, 0.4);
        rainPeriod = r.range(3.0, 5.0);
        rainDensity = r.range(0.25, 0.45);
        seed = r.nextLong();
    }

    /** Paints every pixel above {@code bottom} (a row) as sky in the given weather. */
    void draw(Canvas canvas, double bottom, boolean overcast) {
        int label = SyntheticClass.SKY.labelId();
        int w = canvas.width;
        double sx = 0.16 * w;
        double sy = 0.06 * w;
        int rows = Math.min(canvas.height, Canvas.firstRow(bottom) + 1);
        for (int y = 0; y < rows; y++) {
            double t = Noise.clamp01((y + 0.5) / Math.max(1, bottom));
            for (int x = 0; x < w; x++) {
                double n = Noise.fbm(seed, x / sx, y / sy, 3);
                int c;
                if (overcast) {
                    c = Colour.mix(greyTop, greyLow, t);
                    double dark = Noise.clamp01((n - greyCover) / 0.25);
                    c = Colour.scale(c, 1 - 0.35 * dark);
                    double streak = Noise.wrap(x + rainSlant * y, rainPeriod);
                    if (streak < 0.9 && Noise.hash(seed + 1, (int) Math.floor((x + rainSlant * y) / rainPeriod), y / 3)
                            < rainDensity) {
                        c = Colour.mix(c, 0xD8DCE0, 0.35);
                    }
                } else {
                    c = Colour.mix(clearTop, clearLow, t);
                    double a = Noise.clamp01((n - clearCover) / 0.1) * 0.8;
                    if (a > 0) {
                        c = Colour.mix(c, 0xF4F4F8, a);
                    }
                    if (sun) {
                        double dx = (x + 0.5) / w - sunX;
                        double dy = (y + 0.5) / Math.max(1, bottom) - sunY;
                        double glow = Noise.clamp01(1 - Math.sqrt(dx * dx + 4 * dy * dy) / 0.18);
                        c = Colour.mix(c, 0xFFF6D8, 0.7 * glow * glow);
                    }
                }
                canvas.put(x, y, label, c);
            }
        }
    }
}
