package dev.danet.synth;

/**
 * Where the sun is in a demo scene: the buildings of one side (or neither) cast shadows across the
 * ground, as long as they are tall (scaled, and shifted along the street), and the facades of the
 * side in shade are darker than the sunny side's.
 */
final class Sunlight {

    /** The side whose buildings cast shadows: 0 left, 1 right, 2 none (overcast). */
    private final int shadowSide;
    private final double length;
    private final double shift;
    private final double shade;
    private final double[] facadeLight = new double[2];
    private final StreetLayout street;
    private final Roadside sides;

    Sunlight(SceneRandom r, StreetLayout street, Roadside sides) {
        this.street = street;
        this.sides = sides;
        shadowSide = r.weighted(0.35, 0.35, 0.3);
        length = r.range(0.3, 0.9);
        shift = r.range(-10, 10);
        shade = r.range(0.55, 0.72);
        for (int s = 0; s < 2; s++) {
            facadeLight[s] = shadowSide == 2 ? r.range(0.85, 1.0) : s == shadowSide ? r.range(0.62, 0.8) : r.range(0.95, 1.1);
        }
    }

    /** How bright the facades of a side are. */
    double facadeLight(int side) {
        return facadeLight[side];
    }

    /** The shadows' reach from each side's building line at depth z, metres (out: one per side). */
    void shadowWidths(double z, double[] out) {
        for (int s = 0; s < 2; s++) {
            out[s] = s == shadowSide ? length * sides.buildingHeightAt(s, z + shift) : 0;
        }
    }

    /** The light on the ground at world X of a row whose {@link #shadowWidths} are given: 1, or the shade. */
    double groundLight(double worldX, double[] widths) {
        if (shadowSide == 2) {
            return 1;
        }
        double fromFacade = street.facadeX[shadowSide] - StreetLayout.sign(shadowSide) * worldX;
        return fromFacade < widths[shadowSide] ? shade : 1;
    }
}
