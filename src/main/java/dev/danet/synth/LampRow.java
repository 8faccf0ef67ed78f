package dev.danet.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * Street lamps at one kerb, from a few metres ahead to 120 m, all of one height, colour and spacing,
 * their arms reaching over the carriageway.
 *
 * @param side 0 left, 1 right
 * @param spacing metres between lamps
 * @param heightM the posts' height, metres
 * @param colour the metal's colour
 * @param firstZ the first lamp's depth, metres
 */
record LampRow(int side, double spacing, double heightM, int colour, long seed, double firstZ) {

    static LampRow sample(SceneRandom rng, int side) {
        double spacing = rng.range(18, 32);
        double heightM = rng.range(6, 8.5);
        int colour = rng.pick(0x3A3E42, 0x2E4A3A, 0x6A6E72);
        long seed = rng.nextLong();
        return new LampRow(side, spacing, heightM, colour, seed, rng.range(3, 15));
    }

    /** The lamps' depths, near to far. */
    List<Double> depths() {
        List<Double> depths = new ArrayList<>();
        for (double z = firstZ; z < 120; z += spacing) {
            depths.add(z);
        }
        return depths;
    }

    /** Where the posts stand across the street, metres. */
    double worldX(StreetLayout street) {
        return StreetLayout.sign(side) * (street.roadEdge[side] + 0.45);
    }

    /** The screen box of a lamp at depth z, its arm included. */
    ScreenBox box(StreetCamera cam, double worldX, double z) {
        double s = cam.scale(z);
        return new ScreenBox(cam.x(worldX, z) - 1.6 * s, cam.y(heightM, z), cam.x(worldX, z) + 1.6 * s, cam.y(0, z), z);
    }

    void draw(Canvas canvas, StreetCamera cam, double worldX, double z) {
        int towardRoad = side == 0 ? 1 : -1;
        Sprites.lampPost(canvas, cam.x(worldX, z), cam.y(0, z), cam.scale(z), heightM, towardRoad, colour,
                SyntheticClass.POLE.labelId(), seed);
    }
}
