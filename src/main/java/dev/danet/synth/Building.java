package dev.danet.synth;

/**
 * A building along one side of the demo street: where it starts and ends along the street, how
 * tall and deep it is, and its facade (plaster or brick, windows per floor and bay, shop fronts on
 * the ground floor, a cornice).
 *
 * @param z0 its near end along the street, metres
 * @param z1 its far end, metres
 * @param floorH a floor's height, metres
 * @param bay the spacing of the windows along the facade, metres
 * @param winW a window's width, metres
 * @param winH a window's height, metres
 * @param sill a window's bottom above its floor, metres
 */
record Building(double z0, double z1, double heightM, double depthM, int wall, int window, int trim, double floorH,
                double bay, double winW, double winH, double sill, boolean brick, boolean shops, long seed) {

    private static final int[] WALLS = {0xC8B89A, 0xA8A8A4, 0xE2DED4, 0xB89870, 0x7A7F86, 0xC9A27E, 0x9AA0A8};
    private static final int[] BRICKS = {0x9C5A44, 0x8A4A3A, 0xA8705A};

    static Building sample(SceneRandom rng, double z0, double z1) {
        boolean brick = rng.chance(0.3);
        int wall = brick ? Colour.jitter(BRICKS[rng.nextInt(BRICKS.length)], rng, 8, 0.08)
                : Colour.jitter(WALLS[rng.nextInt(WALLS.length)], rng, 10, 0.08);
        int window = Colour.jitter(StreetColours.GLASS[rng.nextInt(StreetColours.GLASS.length)], rng, 6, 0.1);
        int trim = rng.chance(0.5) ? Colour.scale(wall, rng.range(1.15, 1.3)) : Colour.scale(wall, rng.range(0.6, 0.75));
        double floorH = rng.range(2.9, 3.5);
        double bay = rng.range(2.4, 4.0);
        double winH = floorH * rng.range(0.4, 0.6);
        return new Building(z0, z1, rng.range(7, 26), rng.range(8, 15), wall, window, trim, floorH, bay,
                bay * rng.range(0.4, 0.65), winH, (floorH - winH) * rng.range(0.35, 0.6), brick, rng.chance(0.5),
                rng.nextLong());
    }

    /**
     * The facade's colour at u metres along it and v metres up, where a pixel spans footU by footV
     * metres (window detail fades to its average where pixels are coarse), in the given light.
     */
    int colour(double u, double v, double footU, double footV, int x, int y, double light) {
        int colour = brick ? brickwork(u, v, footU, footV)
                : Colour.scale(wall, 1 + 0.14 * (Noise.fbm(seed, u * 0.7, v * 0.7, 2) - 0.5));
        if (v > heightM - 0.45) {
            colour = trim; // the cornice
        } else {
            colour = withWindows(colour, u, v, footU, footV);
        }
        return Colour.scale(colour, light * (1 + 0.06 * (Noise.hash(seed + 1, x, y) - 0.5)));
    }

    private int brickwork(double u, double v, double footU, double footV) {
        int course = (int) Math.floor(v / 0.25);
        double along = u + ((course & 1) == 0 ? 0 : 0.25);
        boolean mortar = Noise.wrap(v, 0.25) < 0.04 || Noise.wrap(along, 0.5) < 0.04;
        double detail = Noise.clamp01(1.5 - Math.max(footU, footV) / 0.08);
        double brickVar = 1 + 0.16 * (Noise.hash(seed, (int) Math.floor(along / 0.5), course) - 0.5);
        int colour = Colour.scale(wall, 1 + (brickVar - 1) * detail);
        if (mortar) {
            colour = Colour.mix(colour, 0xB8B0A4, 0.6 * detail);
        }
        return colour;
    }

    /** The wall's colour with the windows (and shop fronts) of the floor at height v drawn over it. */
    private int withWindows(int colour, double u, double v, double footU, double footV) {
        int floor = (int) Math.floor(v / floorH);
        double fv = v - floor * floorH;
        double inBay;
        double wx0;
        double wx1;
        double wy0;
        double wy1;
        if (floor == 0) {
            double shopBay = shops ? 2 * bay : bay;
            inBay = Noise.wrap(u, shopBay);
            wx0 = shops ? 0.35 : (bay - 1.1) / 2;
            wx1 = shops ? shopBay - 0.35 : (bay + 1.1) / 2;
            wy0 = shops ? 0.45 : 0.0;
            wy1 = shops ? Math.min(2.6, floorH - 0.3) : 2.2;
        } else {
            inBay = Noise.wrap(u, bay);
            wx0 = (bay - winW) / 2;
            wx1 = (bay + winW) / 2;
            wy0 = sill;
            wy1 = sill + winH;
        }
        boolean inWindow = inBay >= wx0 && inBay < wx1 && fv >= wy0 && fv < wy1;
        int detailColour = colour;
        if (inWindow) {
            boolean frame = inBay < wx0 + 0.08 || inBay >= wx1 - 0.08 || fv < wy0 + 0.08 || fv >= wy1 - 0.08;
            if (frame) {
                detailColour = trim;
            } else {
                double h = Noise.hash(seed + 3, (int) Math.floor(u / bay), floor);
                int glass = h < 0.08 ? 0xE8C878 : Colour.mix(0x8C9CAC, window, 0.45 + 0.5 * (fv - wy0) / (wy1 - wy0));
                detailColour = Colour.scale(glass, 0.85 + 0.3 * h);
            }
        }
        double windowShare = (winW / bay) * (winH / floorH);
        int average = Colour.mix(colour, window, windowShare);
        double alias = Noise.clamp01((Math.max(footU, 0.5 * footV) - 0.25 * bay) / (0.6 * bay));
        return alias > 0 ? Colour.mix(detailColour, average, alias) : detailColour;
    }
}
