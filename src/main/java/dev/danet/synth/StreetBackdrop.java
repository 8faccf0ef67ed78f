package dev.danet.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * The scenery of a street-benchmark scene, behind everything that the benchmarks place: a hazy
 * skyline of buildings and tree lines across the whole width above the horizon, facades with
 * windows or a park behind a hedge on each side, and the ground (carriageway with lane markings,
 * kerbs, pavements, verges, forecourts). The sky above is {@link WeatherSky}'s.
 */
final class StreetBackdrop {

    private static final int[] WALLS = {0xC8B89A, 0xA8A8A4, 0xE2DED4, 0xB89870, 0x7A7F86, 0xC9A27E, 0x9C5A44};

    private record Facade(double z0, double z1, double heightM, int wall, int window, double floorH, double bay,
                          long seed) {}

    private final SceneRandom rng;
    private final Canvas canvas;
    private final int width;
    private final int height;
    private final StreetLayout street;
    private final StreetCamera cam;
    private final double[] facadeX;
    private final boolean[] park;
    private final double[] skylineTop;
    private int skyLowestRow;
    private final List<double[]> skyline;
    private final StreetGround ground;
    private final List<List<Facade>> facades = List.of(new ArrayList<>(), new ArrayList<>());
    private final double[] hedge = new double[2];

    /** Samples the skyline, the ground's look and both sides, in that order. */
    StreetBackdrop(SceneRandom rng, StreetLayout street, Canvas canvas) {
        this.rng = rng;
        this.canvas = canvas;
        this.width = canvas.width;
        this.height = canvas.height;
        this.street = street;
        this.cam = street.cam;
        this.facadeX = street.facadeX;
        this.park = street.park;
        this.skylineTop = new double[width];
        skyline = sampleSkyline();
        ground = new StreetGround(rng);
        for (int side = 0; side < 2; side++) {
            sampleSide(side);
        }
    }

    /** The lowest image row that can show sky: the skyline covers every column below it. */
    int skyLowestRow() {
        return skyLowestRow;
    }

    /** Draws the skyline, the ground, then the facades and hedges. */
    void draw() {
        drawSkyline(skyline);
        ground.draw();
        for (int side = 0; side < 2; side++) {
            for (Facade f : facades.get(side)) {
                drawFacade(side, f);
            }
            if (hedge[side] > 0) {
                drawHedge(side);
            }
        }
    }

    /** Blocks {x0, x1, top, kind, colour, seed} across the whole width, from the horizon up. */
    private List<double[]> sampleSkyline() {
        List<double[]> blocks = new ArrayList<>();
        double horizon = cam.horizon();
        double x = -rng.range(0, 0.05) * width;
        int hazy = Colour.mix(0x9A9CA0, 0xC8D2DC, 0.4);
        while (x < width) {
            double w = rng.range(0.03, 0.12) * width;
            double top = horizon - rng.range(0.12, 0.22) * height;
            boolean trees = rng.chance(0.3);
            int colour = trees ? Colour.jitter(0x5C7458, rng, 8, 0.1) : Colour.jitter(hazy, rng, 12, 0.12);
            blocks.add(new double[] {x, x + w, top, trees ? 1 : 0, colour, rng.nextLong()});
            x += w;
        }
        skyLowestRow = -1;
        for (int col = 0; col < width; col++) {
            double centre = col + 0.5;
            for (double[] b : blocks) {
                if (centre >= b[0] && centre < b[1]) {
                    double top = b[2];
                    if (b[3] == 1) { // a tree line: a little lower in places, never higher
                        top += 0.04 * height * Noise.value((long) b[5], col / 5.0, 0.5);
                    }
                    skylineTop[col] = top;
                }
            }
            skyLowestRow = Math.max(skyLowestRow, Canvas.firstRow(skylineTop[col]) - 1);
        }
        return blocks;
    }

    private void drawSkyline(List<double[]> blocks) {
        int bottom = Math.min(height, Canvas.firstRow(cam.horizon()) + 1);
        for (int x = 0; x < width; x++) {
            double centre = x + 0.5;
            for (double[] b : blocks) {
                if (centre >= b[0] && centre < b[1]) {
                    boolean trees = b[3] == 1;
                    int label = trees ? SyntheticClass.VEGETATION.labelId() : SyntheticClass.BUILDING.labelId();
                    int colour = (int) b[4];
                    long seed = (long) b[5];
                    for (int y = Math.max(0, Canvas.firstRow(skylineTop[x])); y < bottom; y++) {
                        double f = trees ? 0.8 + 0.4 * Noise.hash(seed, x, y)
                                : 1 + 0.08 * (Noise.hash(seed, x, y) - 0.5) - (Noise.wrap(y, 4) < 1 ? 0.06 : 0);
                        canvas.put(x, y, label, Colour.scale(colour, f));
                    }
                }
            }
        }
    }

    private void sampleSide(int side) {
        if (park[side]) {
            hedge[side] = rng.range(0.9, 1.6);
            return;
        }
        double z = 0.3;
        double end = rng.range(60, 200);
        while (z < end) {
            if (z > 8 && rng.chance(0.15)) {
                z += rng.range(4, 12);
                continue;
            }
            double len = rng.range(8, 30);
            int wall = Colour.jitter(WALLS[rng.nextInt(WALLS.length)], rng, 10, 0.08);
            int window = Colour.jitter(StreetColours.GLASS[rng.nextInt(StreetColours.GLASS.length)], rng, 6, 0.1);
            facades.get(side).add(new Facade(z, z + len, rng.range(7, 22), wall, window, rng.range(2.9, 3.5),
                    rng.range(2.4, 4.0), rng.nextLong()));
            z += len;
        }
    }

    private void drawFacade(int side, Facade f) {
        double planeX = StreetLayout.sign(side) * facadeX[side];
        double light = side == 0 ? 0.92 : 1.0;
        int label = SyntheticClass.BUILDING.labelId();
        for (int x = 0; x < width; x++) {
            double z = cam.planeZ(planeX, x + 0.5);
            if (!(z >= f.z0() && z < f.z1())) {
                continue;
            }
            double u = z - f.z0();
            double footU = cam.planeColumnDepth(facadeX[side], z);
            int y0 = Math.max(0, Canvas.firstRow(cam.y(f.heightM(), z)));
            int y1 = Math.min(height, Canvas.firstRow(cam.y(0, z)));
            for (int y = y0; y < y1; y++) {
                double v = cam.worldY(y + 0.5, z);
                int colour = Colour.scale(f.wall(), 1 + 0.12 * (Noise.fbm(f.seed(), u * 0.7, v * 0.7, 2) - 0.5));
                double fv = Noise.wrap(v, f.floorH());
                double inBay = Noise.wrap(u, f.bay());
                boolean window = v > 0.5 && v < f.heightM() - 0.6 && fv > 0.35 * f.floorH() && fv < 0.8 * f.floorH()
                        && inBay > 0.3 * f.bay() && inBay < 0.75 * f.bay();
                int detail = window ? Colour.scale(f.window(), 0.9 + 0.2 * Noise.hash(f.seed() + 1, x, y)) : colour;
                double alias = Noise.clamp01((footU - 0.25 * f.bay()) / (0.6 * f.bay()));
                int average = Colour.mix(colour, f.window(), 0.2);
                canvas.put(x, y, label, Colour.scale(Colour.mix(detail, average, alias), light));
            }
        }
    }

    private void drawHedge(int side) {
        double planeX = StreetLayout.sign(side) * facadeX[side];
        int label = SyntheticClass.VEGETATION.labelId();
        long seed = 31L * side + 7;
        int colour = side == 0 ? 0x3E6230 : 0x46683A;
        for (int x = 0; x < width; x++) {
            double z = cam.planeZ(planeX, x + 0.5);
            if (!(z > 0.3 && z < 400)) {
                continue;
            }
            double top = hedge[side] * (0.85 + 0.3 * Noise.value(seed, z * 1.3, 0.5));
            int y0 = Math.max(0, Canvas.firstRow(cam.y(top, z)));
            int y1 = Math.min(height, Canvas.firstRow(cam.y(0, z)));
            for (int y = y0; y < y1; y++) {
                canvas.put(x, y, label, Colour.scale(colour, 0.6 + 0.8 * Noise.fbm(seed + 1, x / 2.0, y / 2.0, 2)));
            }
        }
    }

    // ------------------------------------------------------------------ the ground

    private final class StreetGround {
        final int asphalt;
        final long roadSeed;
        final int[] paving = new int[2];
        final long pavingSeed;
        final int curb;
        final int grass;
        final long grassSeed;
        final LaneLines lines;

        StreetGround(SceneRandom r) {
            asphalt = StreetColours.asphalt(r);
            roadSeed = r.nextLong();
            for (int side = 0; side < 2; side++) {
                paving[side] = Colour.jitter(StreetColours.PAVING[r.nextInt(StreetColours.PAVING.length)], r, 8, 0.08);
            }
            pavingSeed = r.nextLong();
            curb = Colour.jitter(StreetColours.KERB, r, 6, 0.06);
            grass = Colour.jitter(StreetColours.GRASS, r, 10, 0.1);
            grassSeed = r.nextLong();
            lines = LaneLines.sample(r);
        }

        void draw() {
            int road = SyntheticClass.ROAD.labelId();
            int sidewalk = SyntheticClass.SIDEWALK.labelId();
            int terrain = SyntheticClass.TERRAIN.labelId();
            for (int y = Math.max(0, Canvas.firstRow(cam.horizon())); y < height; y++) {
                double z = cam.groundZ(y + 0.5);
                double detail = Noise.clamp01(1.3 - cam.groundRowDepth(z) / 0.5);
                for (int x = 0; x < width; x++) {
                    double wx = cam.worldX(x + 0.5, z);
                    int label;
                    int colour;
                    switch (street.strip(wx)) {
                        case CARRIAGEWAY -> {
                            label = road;
                            double n = Noise.fbm(roadSeed, wx * 0.8, z * 0.8, 2) - 0.5;
                            colour = Colour.scale(asphalt, 1 + 0.3 * n * detail + 0.12 * (Noise.hash(roadSeed + 2, x, y) - 0.5));
                            if (lines.onEdgeLine(street, wx) || lines.onDivider(street, wx, z)) {
                                colour = Colour.scale(0xE6E6DE, 0.9 + 0.15 * Noise.hash(roadSeed + 3, x, y));
                            }
                        }
                        case KERB -> {
                            label = sidewalk;
                            colour = Colour.scale(curb, 0.92 + 0.12 * Noise.hash(pavingSeed + 9, x, y));
                        }
                        case GRASS -> {
                            label = terrain;
                            double n = Noise.fbm(grassSeed, wx * 0.4, z * 0.4, 2);
                            colour = Colour.scale(grass, 0.85 + 0.3 * n + 0.2 * (Noise.hash(grassSeed + 1, x, y) - 0.5));
                        }
                        default -> { // pavement and forecourts
                            label = sidewalk;
                            double t = 0.45;
                            boolean joint = Noise.wrap(wx, t) < 0.05 || Noise.wrap(z, t) < 0.05;
                            double f = 1 + 0.1 * (Noise.hash(pavingSeed + 7, x, y) - 0.5) - (joint ? 0.15 * detail : 0);
                            colour = Colour.scale(paving[StreetLayout.side(wx)], f);
                        }
                    }
                    canvas.put(x, y, label, colour);
                }
            }
        }
    }
}
