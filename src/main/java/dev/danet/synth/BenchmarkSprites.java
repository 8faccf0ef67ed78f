package dev.danet.synth;

/**
 * The objects only the benchmarks draw: the control's box truck, the sign faces that are the
 * sign benchmark's cue, and the eight paints the look-alike vehicles and the bus share.
 */
final class BenchmarkSprites {

    private BenchmarkSprites() {}

    /** Paints of the look-alike vehicles and the bus: eight hues far apart, so a match is plain to see. */
    static final int[] PAINTS = {
        0xC8261E, 0x2C55A8, 0x1F7A3A, 0xE6C21C, 0xE9ECEF, 0x7A3C9A, 0x26282C, 0x30B8C0
    };

    private static final int[] CARGO = {0xECECE8, 0xC4C8CC, 0xE6D8A6, 0xCCDCE6};

    /** A box truck seen from behind: a windowless cargo box, door seams, a dark under-run bar. */
    record BoxTruckLook(double widthM, double heightM, double lengthM, int cargo, int band, long seed) {}

    static BoxTruckLook sampleBoxTruck(SceneRandom r) {
        int cargo = Colour.jitter(CARGO[r.nextInt(CARGO.length)], r, 6, 0.05);
        int band = Colour.jitter(PAINTS[r.nextInt(PAINTS.length)], r, 6, 0.05);
        return new BoxTruckLook(r.range(2.1, 2.4), r.range(2.2, 2.6), r.range(5.0, 7.0), cargo, band, r.nextLong());
    }

    static void boxTruck(Canvas c, double cx, double by, double s, BoxTruckLook t, int label) {
        double w = t.widthM() * s;
        double h = t.heightM() * s;
        double left = cx - w / 2;
        double right = cx + w / 2;
        double top = by - h;
        long seed = t.seed();
        Sprites.mirrored(c, left, right, 0.04 * w, 0.22 * w, by - 0.45 * s, by, label, Sprites.tyre(seed));
        int cargo = t.cargo();
        double boxBottom = by - 0.55 * s;
        c.fillRect(left, top, right, boxBottom, label, (x, y) -> {
            double v = (y + 0.5 - top) / h;
            double f = 1.02 - 0.12 * v + 0.06 * (Noise.hash(seed, x, y) - 0.5);
            if (Noise.wrap(y + 0.5 - top, Math.max(2, 0.5 * s)) < Math.max(0.6, 0.05 * s)) {
                f *= 0.9; // horizontal ribs of the box
            }
            return Colour.scale(cargo, f);
        });
        int band = t.band();
        c.fillRect(left, top + 0.12 * h, right, top + 0.2 * h, label, (x, y) -> band);
        double seam = Math.max(0.6, 0.02 * w);
        c.fillRect(cx - seam / 2, top + 0.04 * h, cx + seam / 2, boxBottom, label, (x, y) -> Colour.scale(cargo, 0.6));
        c.fillRect(left + 0.04 * w, top + 0.04 * h, left + 0.04 * w + seam, boxBottom, label,
                (x, y) -> Colour.scale(cargo, 0.7));
        c.fillRect(right - 0.04 * w - seam, top + 0.04 * h, right - 0.04 * w, boxBottom, label,
                (x, y) -> Colour.scale(cargo, 0.7));
        c.fillRect(left + 0.02 * w, boxBottom, right - 0.02 * w, boxBottom + 0.18 * s, label,
                (x, y) -> Colour.scale(0x26282C, 0.85 + 0.3 * Noise.hash(seed + 2, x, y)));
        Sprites.mirrored(c, left, right, 0.03 * w, 0.14 * w, boxBottom - 0.25 * s, boxBottom - 0.05 * s, label,
                (x, y) -> Sprites.TAIL_LIGHT);
    }

    /**
     * The sign benchmark's cue on its post: a green square or a purple disc of the same height, each
     * in a white rim. These faces appear nowhere else in the street benchmarks.
     */
    static void cueSign(Canvas c, double x, double baseY, double s, double plateY, double size, boolean purple,
                        long seed) {
        int pole = SyntheticClass.POLE.labelId();
        int label = SyntheticClass.TRAFFIC_SIGN.labelId();
        Sprites.post(c, x, baseY, s, plateY, pole, seed);
        Canvas.Shader white = Sprites.shaded(0xEDEDE8, seed + 1, 0.05);
        double half = size / 2;
        if (purple) {
            c.fillEllipse(x, plateY, half, half, label, white);
            c.fillEllipse(x, plateY, 0.8 * half, 0.8 * half, label, Sprites.shaded(0x8A2CA6, seed + 2, 0.06));
        } else {
            c.fillRect(x - half, plateY - half, x + half, plateY + half, label, white);
            c.fillRect(x - 0.8 * half, plateY - 0.8 * half, x + 0.8 * half, plateY + 0.8 * half, label,
                    Sprites.shaded(0x1E8C3C, seed + 2, 0.06));
        }
    }
}
