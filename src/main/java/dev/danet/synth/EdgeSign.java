package dev.danet.synth;

/**
 * A sign on the pavement near the left or right edge of the image, placed by its column on the
 * screen: where a street scene shows its cue (the demo set's zone sign, the sign benchmark's face).
 *
 * @param x the post's column, pixels
 * @param z its depth, metres
 * @param plateY the plate's centre row, pixels
 * @param size the plate's size, pixels
 * @param baseY the post's foot row, pixels
 */
record EdgeSign(double x, double z, double plateY, double size, double baseY, long seed) {

    /**
     * How a sign is placed.
     *
     * @param edgeOfWidth the post's distance from the image edge, as a fraction of the width
     * @param plateM the plate's size in metres, before clamping
     * @param sizeOfHeight the least and greatest plate size on the screen, as fractions of the height
     * @param plateHeightM the plate's centre above the ground, metres (lower on the screen if too high)
     */
    record Placement(StreetLayout.Range edgeOfWidth, double plateM, StreetLayout.Range sizeOfHeight,
                     StreetLayout.Range plateHeightM) {}

    static EdgeSign sample(SceneRandom rng, StreetLayout street, int side, Placement p) {
        int width = street.width;
        int height = street.height;
        StreetCamera cam = street.cam;
        double x = side == 0 ? width * p.edgeOfWidth().draw(rng) : width * (1 - p.edgeOfWidth().draw(rng));
        double wx = StreetLayout.sign(side) * (street.roadEdge[side] + street.sidewalkW[side] * rng.range(0.5, 0.85));
        double z = cam.focal() * wx / (x - cam.vanishX());
        double size = Math.max(p.sizeOfHeight().from() * height, Math.min(p.sizeOfHeight().to() * height,
                cam.scale(z) * p.plateM()));
        double plateY = Math.max(cam.y(p.plateHeightM().draw(rng), z), 0.05 * height + size / 2);
        double baseY = Math.max(cam.y(0, z), plateY + size);
        return new EdgeSign(x, z, plateY, size, baseY, rng.nextLong());
    }
}
