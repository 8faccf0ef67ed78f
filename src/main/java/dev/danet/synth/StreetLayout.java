package dev.danet.synth;

/**
 * The street of a street scene: the camera and the cross-section (carriageway, pavement and verge
 * per side, park or buildings beyond), and the lanes. The demo set and the street benchmarks draw it
 * in the same order from different {@link Proportions}.
 */
final class StreetLayout {

    /** A range to draw a number from. */
    record Range(double from, double to) {
        double draw(SceneRandom rng) {
            return rng.range(from, to);
        }
    }

    /**
     * The ranges a street is drawn from.
     *
     * @param focalOfWidth the focal length, as a fraction of the image width
     * @param horizonOfHeight the horizon's row, as a fraction of the image height
     * @param cameraHeight the camera's height above the ground, metres
     * @param roadEdge the carriageway's half-width on each side of the camera, metres
     * @param sidewalk the pavement's width, metres
     * @param parkChance the chance that a side is a park instead of buildings
     */
    record Proportions(Range focalOfWidth, Range horizonOfHeight, Range cameraHeight, Range roadEdge, Range sidewalk,
                       double parkChance) {

        /** The demo set: a camera at a car's roof (1.3-1.7 m) and carriageways of 5-14 m. */
        static final Proportions DEMO = new Proportions(new Range(0.75, 1.0), new Range(0.36, 0.47), new Range(1.3, 1.7),
                new Range(2.6, 7.0), new Range(1.8, 4.5), 0.22);
        /** The street benchmarks: a raised camera (3.2-4.0 m) and carriageways of 8-15 m. */
        static final Proportions BENCHMARKS = new Proportions(new Range(0.7, 0.95), new Range(0.32, 0.40),
                new Range(3.2, 4.0), new Range(4.0, 7.5), new Range(2.0, 4.5), 0.25);
    }

    /** Where a point on the ground lies in the cross-section. */
    enum Strip {
        CARRIAGEWAY, KERB, PAVEMENT, GRASS, FORECOURT;
    }

    final int width;
    final int height;
    final StreetCamera cam;
    /** Depth of the ground at the image's bottom edge: the nearest ground in view. */
    final double nearestZ;
    /** Per side (0 left, 1 right), distances from the camera's line in metres. */
    final double[] roadEdge = new double[2];
    final double[] sidewalkW = new double[2];
    /** A grass verge between the pavement and the buildings, 0 when there is none. */
    final double[] vergeW = new double[2];
    final double[] facadeX = new double[2];
    final boolean[] park = new boolean[2];
    final double[] laneCentres;
    final double[] dividers;

    /**
     * Samples a street whose vanishing point leans away from {@code awaySide}, the side where the
     * image's cue sign will stand, leaving room for the vehicles.
     */
    StreetLayout(SceneRandom rng, Proportions p, int width, int height, int awaySide) {
        this.width = width;
        this.height = height;
        double away = awaySide == 0 ? 1 : -1;
        cam = new StreetCamera(width * p.focalOfWidth().draw(rng), height * p.horizonOfHeight().draw(rng),
                width * (0.5 + away * rng.range(0.02, 0.12)), p.cameraHeight().draw(rng));
        nearestZ = cam.groundZ(height);
        for (int side = 0; side < 2; side++) {
            roadEdge[side] = p.roadEdge().draw(rng);
            sidewalkW[side] = p.sidewalk().draw(rng);
            vergeW[side] = rng.chance(0.35) ? rng.range(1.0, 3.0) : 0;
            facadeX[side] = roadEdge[side] + sidewalkW[side] + vergeW[side];
            park[side] = rng.chance(p.parkChance());
        }
        double total = roadEdge[0] + roadEdge[1];
        int lanes = Math.max(2, (int) Math.round(total / rng.range(2.9, 3.6)));
        double laneW = total / lanes;
        laneCentres = new double[lanes];
        dividers = new double[lanes - 1];
        for (int i = 0; i < lanes; i++) {
            laneCentres[i] = -roadEdge[0] + (i + 0.5) * laneW;
            if (i > 0) {
                dividers[i - 1] = -roadEdge[0] + i * laneW;
            }
        }
    }

    /** -1 for the left side (0), +1 for the right (1). */
    static double sign(int side) {
        return side == 0 ? -1 : 1;
    }

    /** The side of the street a world X lies on: 0 left, 1 right. */
    static int side(double worldX) {
        return worldX < 0 ? 0 : 1;
    }

    /** The strip of the cross-section at world X: carriageway, kerb, pavement, grass (verge or park), forecourt. */
    Strip strip(double worldX) {
        int side = side(worldX);
        double d = Math.abs(worldX);
        if (d <= roadEdge[side]) {
            return Strip.CARRIAGEWAY;
        } else if (d <= roadEdge[side] + 0.25) {
            return Strip.KERB;
        } else if (d <= roadEdge[side] + sidewalkW[side]) {
            return Strip.PAVEMENT;
        } else if (d <= facadeX[side] || park[side]) {
            return Strip.GRASS;
        }
        return Strip.FORECOURT; // seen in the gaps between buildings
    }
}
