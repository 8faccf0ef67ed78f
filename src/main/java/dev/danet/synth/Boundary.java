package dev.danet.synth;

/**
 * A low boundary along the demo street's building line: a concrete wall, a plank or metal fence, or
 * a hedge (along a park, or in a gap between buildings).
 *
 * @param z0 its near end along the street, metres
 * @param z1 its far end, metres
 */
record Boundary(double z0, double z1, double heightM, Kind kind, int colour, long seed) {

    enum Kind { WALL, FENCE, HEDGE }

    static Boundary sample(SceneRandom rng, Kind kind, double z0, double z1) {
        return switch (kind) {
            case WALL -> new Boundary(z0, z1, rng.range(0.7, 2.0), kind, Colour.jitter(0xA8A49C, rng, 10, 0.1), rng.nextLong());
            case FENCE -> new Boundary(z0, z1, rng.range(1.0, 1.9), kind,
                    rng.chance(0.5) ? Colour.jitter(0x7A5A3C, rng, 8, 0.1) : Colour.jitter(0x3C5040, rng, 8, 0.1),
                    rng.nextLong());
            case HEDGE -> new Boundary(z0, z1, rng.range(0.9, 1.7), kind, Colour.jitter(0x3E6230, rng, 8, 0.1), rng.nextLong());
        };
    }

    /** Paints it on the vertical plane {@code distance} metres to the side of the camera's line (sign: which side). */
    void draw(Canvas canvas, StreetCamera cam, double sign, double distance, double light) {
        double planeX = sign * distance;
        double xa = cam.x(planeX, Math.max(z0, 0.05));
        double xb = cam.x(planeX, z1);
        int from = Math.max(0, (int) Math.ceil(Math.min(xa, xb) - 0.5));
        int to = Math.min(canvas.width, (int) Math.ceil(Math.max(xa, xb) - 0.5));
        int label = switch (kind) {
            case WALL -> SyntheticClass.WALL.labelId();
            case FENCE -> SyntheticClass.FENCE.labelId();
            case HEDGE -> SyntheticClass.VEGETATION.labelId();
        };
        for (int x = from; x < to; x++) {
            double z = cam.planeZ(planeX, x + 0.5);
            if (!(z >= z0 && z < z1)) {
                continue;
            }
            double footU = cam.planeColumnDepth(distance, z);
            double top = kind == Kind.HEDGE ? heightM * (0.85 + 0.3 * Noise.value(seed, z * 1.3, 0.5)) : heightM;
            int y0 = Math.max(0, Canvas.firstRow(cam.y(top, z)));
            int y1 = Math.min(canvas.height, Canvas.firstRow(cam.y(0, z)));
            for (int y = y0; y < y1; y++) {
                double v = cam.worldY(y + 0.5, z);
                canvas.put(x, y, label, Colour.scale(colour, shade(x, y, z, v, top, footU) * light));
            }
        }
    }

    /** The surface's brightness at a pixel: coping and joints of a wall, rails and gaps of a fence, leaves of a hedge. */
    private double shade(int x, int y, double z, double v, double top, double footU) {
        double f;
        switch (kind) {
            case WALL -> {
                f = 1 + 0.12 * (Noise.fbm(seed, z * 0.8, v * 0.8, 2) - 0.5);
                if (v > top - 0.12) {
                    f *= 1.15;
                } else if (Noise.wrap(z, 2.5) < 0.06 && footU < 0.1) {
                    f *= 0.8;
                }
            }
            case FENCE -> {
                double detail = Noise.clamp01(1.5 - footU / 0.07);
                boolean gap = Noise.wrap(z, 0.16) < 0.05;
                boolean rail = Math.abs(v - 0.3) < 0.06 || Math.abs(v - (top - 0.2)) < 0.06;
                f = rail ? 1.1 : gap ? 1 - 0.35 * detail : 1;
                f *= 1 + 0.1 * (Noise.hash(seed, x, y) - 0.5);
            }
            default -> {
                double n = Noise.fbm(seed + 1, z * 4, v * 4, 2);
                f = 0.6 + 0.8 * n;
                if (Noise.hash(seed + 2, x, y) < 0.1) {
                    f *= 0.6;
                }
            }
        }
        return f;
    }
}
