package dev.danet.synth;

/**
 * A pinhole camera looking level down a street: world X to the right, Y up from the ground,
 * Z forward (metres); screen x right, y down (pixels).
 *
 * @param focal focal length in pixels
 * @param horizon screen row of the horizon (the vanishing point's y)
 * @param vanishX screen column of the vanishing point
 * @param height the camera's height above the ground in metres
 */
record StreetCamera(double focal, double horizon, double vanishX, double height) {

    double x(double worldX, double z) {
        return vanishX + focal * worldX / z;
    }

    double y(double worldY, double z) {
        return horizon + focal * (height - worldY) / z;
    }

    /** Pixels per metre at depth z. */
    double scale(double z) {
        return focal / z;
    }

    /** Metres that one pixel spans at depth z, across the view (1 / scale, as the painters compute it). */
    double metresPerPixel(double z) {
        return z / focal;
    }

    /** Metres of ground along the street that one pixel row spans at depth z (how fine ground detail can be). */
    double groundRowDepth(double z) {
        return z * z / (focal * height);
    }

    /**
     * Metres along the street that one pixel column spans at depth z on a vertical plane {@code distance}
     * metres to the side (a facade, a wall, a hedge).
     */
    double planeColumnDepth(double distance, double z) {
        return z * z / (focal * distance);
    }

    /** Depth of the ground seen at a row centre below the horizon. */
    double groundZ(double rowCentre) {
        return focal * height / Math.max(rowCentre - horizon, 0.05);
    }

    /** World X of the point at depth z seen in a column centre. */
    double worldX(double columnCentre, double z) {
        return (columnCentre - vanishX) * z / focal;
    }

    /** World Y of the point at depth z seen at a row centre. */
    double worldY(double rowCentre, double z) {
        return height - (rowCentre - horizon) * z / focal;
    }

    /** Depth at which a column centre meets the vertical plane X = planeX (a facade along the street). */
    double planeZ(double planeX, double columnCentre) {
        return focal * planeX / (columnCentre - vanishX);
    }
}
