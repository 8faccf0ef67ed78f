package dev.danet.synth;

/**
 * An ordinary road sign on its post at the kerb: a triangle, a circle, an octagon or a panel
 * (never a cue).
 *
 * @param worldX where the post stands across the street, metres
 * @param z where it stands along the street, metres
 * @param plateM the plate's centre above the ground, metres
 * @param sizeM the plate's size, metres
 */
record RoadSign(double worldX, double z, Sprites.SignType type, double plateM, double sizeM, long seed) {

    private static final Sprites.SignType[] TYPES = {Sprites.SignType.TRIANGLE, Sprites.SignType.CIRCLE,
        Sprites.SignType.OCTAGON, Sprites.SignType.PANEL};

    static RoadSign sample(SceneRandom rng, StreetLayout street) {
        int side = rng.nextInt(2);
        double wx = StreetLayout.sign(side) * (street.roadEdge[side] + 0.5);
        double z = rng.range(Math.max(5, street.nearestZ), 45);
        Sprites.SignType type = TYPES[rng.nextInt(TYPES.length)];
        double plateM = rng.range(2.0, 2.6);
        double sizeM = rng.range(0.6, 0.8);
        return new RoadSign(wx, z, type, plateM, sizeM, rng.nextLong());
    }

    /** The screen box of post and plate. */
    ScreenBox box(StreetCamera cam) {
        double s = cam.scale(z);
        return new ScreenBox(cam.x(worldX, z) - sizeM * s, cam.y(plateM + sizeM, z), cam.x(worldX, z) + sizeM * s,
                cam.y(0, z), z);
    }

    void draw(Canvas canvas, StreetCamera cam) {
        double s = cam.scale(z);
        Sprites.signPost(canvas, cam.x(worldX, z), cam.y(0, z), s, cam.y(plateM, z), sizeM * s, type,
                SyntheticClass.POLE.labelId(), SyntheticClass.TRAFFIC_SIGN.labelId(), seed);
    }
}
