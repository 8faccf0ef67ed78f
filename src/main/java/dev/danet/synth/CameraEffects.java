package dev.danet.synth;

/**
 * What the camera does to a painted scene: the bonnet of the recording car (void), a brightness
 * gain and colour cast, brightness gradients and a vignette, a slight blur, sensor noise, and
 * black frame borders (void). Only the picture is blurred; labels keep their hard edges.
 */
final class CameraEffects {

    private final double gain;
    private final double castR;
    private final double castG;
    private final double castB;
    private final double gradX;
    private final double gradY;
    private final double vignette;
    private final double noise;
    private final long noiseSeed;
    private final boolean hood;
    private final double hoodH;
    private final int hoodColour;
    private final int[] border = new int[4];
    private final Canvas canvas;
    private final int width;
    private final int height;

    CameraEffects(SceneRandom r, Canvas canvas) {
        this.canvas = canvas;
        this.width = canvas.width;
        this.height = canvas.height;
        gain = r.range(0.72, 1.22);
        castR = r.range(0.9, 1.1);
        castG = r.range(0.93, 1.07);
        castB = r.range(0.9, 1.1);
        gradX = r.range(-0.2, 0.2);
        gradY = r.range(-0.12, 0.12);
        vignette = r.range(0, 0.3);
        noise = r.range(2, 6);
        noiseSeed = r.nextLong();
        hood = r.chance(0.3);
        hoodH = height * r.range(0.05, 0.1);
        hoodColour = Colour.jitter(r.pick(0x1E2024, 0x3A3C40, 0x4A1C1C, 0x1C2A44, 0xB0B2B4), r, 6, 0.05);
        boolean frame = r.chance(0.5);
        for (int i = 0; i < 4; i++) {
            border[i] = frame ? r.rangeInt(0, 3) : 0;
        }
    }

    /** The bonnet of the recording car at the bottom: void. */
    void drawHood() {
        if (!hood) {
            return;
        }
        int label = SyntheticClass.UNLABELED.labelId();
        for (int x = 0; x < width; x++) {
            double u = (x + 0.5 - width / 2.0) / (width / 2.0);
            double top = height - hoodH * (1 - 0.45 * u * u);
            for (int y = Math.max(0, Canvas.firstRow(top)); y < height; y++) {
                double t = (y + 0.5 - top) / hoodH;
                double f = 0.7 + 0.5 * (1 - t) + 0.05 * (Noise.hash(noiseSeed + 5, x, y) - 0.5);
                canvas.put(x, y, label, Colour.scale(hoodColour, f));
            }
        }
    }

    void apply() {
        int[] rgb = canvas.rgb;
        int w = width;
        int h = height;
        float[] lit = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            double yn = (y + 0.5) / h - 0.5;
            for (int x = 0; x < w; x++) {
                double xn = (x + 0.5) / w - 0.5;
                double f = gain * (1 + gradX * xn + gradY * yn) * (1 - vignette * 2 * (xn * xn + yn * yn));
                int i = y * w + x;
                int c = rgb[i];
                lit[3 * i] = (float) (Colour.red(c) * f * castR);
                lit[3 * i + 1] = (float) (Colour.green(c) * f * castG);
                lit[3 * i + 2] = (float) (Colour.blue(c) * f * castB);
            }
        }
        // a slight camera blur: the picture's edges are soft, the labels' are not
        float[] blurred = new float[lit.length];
        float[] tmp = new float[lit.length];
        blur(lit, tmp, w, h, 1, 0);
        blur(tmp, blurred, w, h, 0, 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double r = blurred[3 * i] + 3.46 * noise * (Noise.hash(noiseSeed, x, y) - 0.5);
                double g = blurred[3 * i + 1] + 3.46 * noise * (Noise.hash(noiseSeed + 1, x, y) - 0.5);
                double b = blurred[3 * i + 2] + 3.46 * noise * (Noise.hash(noiseSeed + 2, x, y) - 0.5);
                rgb[i] = Colour.rgb(r, g, b);
                boolean edge = x < border[0] || x >= w - border[1] || y < border[2] || y >= h - border[3];
                if (edge) {
                    canvas.put(x, y, SyntheticClass.UNLABELED.labelId(), 0);
                }
            }
        }
    }

    private void blur(float[] in, float[] out, int w, int h, int dx, int dy) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int xa = Math.max(0, x - dx);
                int ya = Math.max(0, y - dy);
                int xb = Math.min(w - 1, x + dx);
                int yb = Math.min(h - 1, y + dy);
                int i = 3 * (y * w + x);
                int a = 3 * (ya * w + xa);
                int b = 3 * (yb * w + xb);
                for (int k = 0; k < 3; k++) {
                    out[i + k] = 0.25f * in[a + k] + 0.5f * in[i + k] + 0.25f * in[b + k];
                }
            }
        }
    }
}
