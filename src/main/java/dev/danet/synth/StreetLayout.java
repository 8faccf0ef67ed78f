package dev.danet.synth;

/**
 * The street of a street-benchmark scene: the camera and the cross-section (carriageway,
 * pavement and verge per side, park or buildings beyond), and the lanes.
 */
final class StreetLayout {

    final StreetCamera cam;
    /** Per side (0 left, 1 right), distances from the camera's line in metres. */
    final double[] roadEdge = new double[2];
    final double[] sidewalkW = new double[2];
    final double[] facadeX = new double[2];
    final boolean[] park = new boolean[2];
    final double[] laneCentres;
    final double[] dividers;

    /**
     * Samples a street: a raised camera (3.2-4.0 m) whose vanishing point leans away from the side
     * {@code signSide} where the cue sign will stand, and a carriageway of 8-15 m.
     */
    StreetLayout(SceneRandom rng, int width, int height, int signSide) {
        double away = signSide == 0 ? 1 : -1;
        cam = new StreetCamera(width * rng.range(0.7, 0.95), height * rng.range(0.32, 0.40),
                width * (0.5 + away * rng.range(0.02, 0.12)), rng.range(3.2, 4.0));
        for (int side = 0; side < 2; side++) {
            roadEdge[side] = rng.range(4.0, 7.5);
            sidewalkW[side] = rng.range(2.0, 4.5);
            double verge = rng.chance(0.35) ? rng.range(1.0, 3.0) : 0;
            facadeX[side] = roadEdge[side] + sidewalkW[side] + verge;
            park[side] = rng.chance(0.25);
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

    static double sign(int side) {
        return side == 0 ? -1 : 1;
    }
}
