package dev.danet.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Paints one synthetic street scene from (seed, split, index): a camera looking down a street
 * with sky, distant skyline, facades or a park on each side, pavements, a carriageway, street
 * furniture, trees, people, buses and the ambiguous vehicles; then lighting, a camera blur,
 * sensor noise and void borders.
 *
 * <p>Every random draw comes from one generator keyed by (seed, split, index) and happens in
 * the same order whatever the image's {@link SceneCues}: the cues only switch the ambiguous
 * vehicles' label, the zone sign's face, and whether the lane markings are painted (and the
 * ground surface's label). Swapping a cue therefore changes nothing else in the picture, which
 * is what makes the ambiguous classes locally indistinguishable.
 */
final class ScenePainter {

    /** Least horizontal gap, as a fraction of the width, between the zone sign and any ambiguous vehicle. */
    static final double MIN_CUE_GAP = 0.35;

    private static final int[] WALLS = {0xC8B89A, 0xA8A8A4, 0xE2DED4, 0xB89870, 0x7A7F86, 0xC9A27E, 0x9AA0A8};
    private static final int[] BRICKS = {0x9C5A44, 0x8A4A3A, 0xA8705A};
    private static final int[] GLASS = {0x2A3440, 0x3A4A5A, 0x4A5A68, 0x303038};
    private static final int[] PAVING = {0xA0A09C, 0xB0A690, 0x9C7468, 0x8C8C88};

    private record Facade(double z0, double z1, double heightM, double depthM, int wall, int window, int trim,
                          double floorH, double bay, double winW, double winH, double sill, boolean brick,
                          boolean shops, long seed) {}

    private enum BoundaryKind { WALL, FENCE, HEDGE }

    private record Boundary(double z0, double z1, double heightM, BoundaryKind kind, int colour, long seed) {}

    private record Footprint(double x0, double x1, double z0, double z1) {
        boolean overlaps(Footprint o, double margin) {
            return x0 < o.x1 + margin && o.x0 < x1 + margin && z0 < o.z1 + margin && o.z0 < z1 + margin;
        }
    }

    private record Placed(double depth, Runnable draw) {}

    /** A sprite's screen rectangle at its depth, to keep the ambiguous vehicles visible. */
    private record ScreenBox(double x0, double y0, double x1, double y1, double z, boolean keepVisible) {
        double overlap(ScreenBox o) {
            double w = Math.min(x1, o.x1) - Math.max(x0, o.x0);
            double h = Math.min(y1, o.y1) - Math.max(y0, o.y0);
            return w > 0 && h > 0 ? w * h : 0;
        }

        double area() {
            return (x1 - x0) * (y1 - y0);
        }
    }

    private record Patch(double x0, double x1, double z0, double z1, double factor) {}

    private final int width;
    private final int height;
    private final SceneCues cues;
    private final SceneRandom rng;
    private final Canvas canvas;
    private final boolean[] marking;

    private final int markerSide;
    private final StreetCamera cam;
    private final double zBottom;

    // street cross-section, per side (0 left, 1 right); distances from the camera's line
    private final double[] roadEdge = new double[2];
    private final double[] sidewalkW = new double[2];
    private final double[] vergeW = new double[2];
    private final double[] facadeX = new double[2];
    private final boolean[] park = new boolean[2];
    private final double[] laneCentres;
    private final double[] dividers;

    private final List<List<Facade>> facades = List.of(new ArrayList<>(), new ArrayList<>());
    private final List<Boundary> boundaries0 = new ArrayList<>();
    private final List<Boundary> boundaries1 = new ArrayList<>();
    private final double[] sideLight = new double[2];

    private final List<Placed> parkTrees = new ArrayList<>();
    private final List<Placed> sprites = new ArrayList<>();
    private final List<Footprint> occupied = new ArrayList<>();
    private final List<ScreenBox> boxes = new ArrayList<>();

    private ScenePainter(long seed, String split, int index, int height, int width, SceneCues cues) {
        this.width = width;
        this.height = height;
        this.cues = cues;
        this.rng = SceneRandom.keyed(seed, split.hashCode(), index);
        this.canvas = new Canvas(width, height);
        this.marking = new boolean[width * height];

        markerSide = rng.nextInt(2);
        // the vanishing point leans away from the zone sign, leaving room for the vehicles
        double away = markerSide == 0 ? 1 : -1;
        cam = new StreetCamera(width * rng.range(0.75, 1.0), height * rng.range(0.36, 0.47),
                width * (0.5 + away * rng.range(0.02, 0.12)), rng.range(1.3, 1.7));
        zBottom = cam.groundZ(height);

        for (int side = 0; side < 2; side++) {
            roadEdge[side] = rng.range(2.6, 7.0);
            sidewalkW[side] = rng.range(1.8, 4.5);
            vergeW[side] = rng.chance(0.35) ? rng.range(1.0, 3.0) : 0;
            facadeX[side] = roadEdge[side] + sidewalkW[side] + vergeW[side];
            park[side] = rng.chance(0.22);
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

    /** Paints the scene with its balanced cues. */
    static PaintedScene paint(long seed, String split, int index, int height, int width) {
        return paint(seed, split, index, height, width, SceneCues.balanced(seed, split, index));
    }

    /** Paints the scene with the given cues (a test swaps them to show nothing else changes). */
    static PaintedScene paint(long seed, String split, int index, int height, int width, SceneCues cues) {
        return new ScenePainter(seed, split, index, height, width, cues).paint();
    }

    private PaintedScene paint() {
        // Everything is sampled in a fixed order before anything is drawn.
        Sky sky = new Sky(rng, height);
        Skyline skyline = new Skyline(rng, width, height, sky.horizon);
        Ground ground = new Ground(rng);
        for (int side = 0; side < 2; side++) {
            sampleSide(side);
        }
        Shadows shadows = new Shadows(rng);
        Marker marker = new Marker();
        sampleBus();
        int vehicles = sampleVehicles(marker);
        samplePeople();
        sampleStreetFurniture();
        CameraEffects camera = new CameraEffects(rng, canvas);

        sky.draw();
        skyline.draw();
        ground.draw(shadows);
        drawPlaced(parkTrees);
        for (int side = 0; side < 2; side++) {
            List<Facade> list = facades.get(side);
            for (int i = list.size() - 1; i >= 0; i--) {
                drawFrontWall(side, list.get(i));
                drawFacade(side, list.get(i));
            }
            for (Boundary b : side == 0 ? boundaries0 : boundaries1) {
                drawBoundary(side, b);
            }
        }
        drawPlaced(sprites);
        marker.draw();
        camera.drawHood();
        camera.apply();
        int markingPixels = 0;
        for (int i = 0; i < marking.length; i++) {
            if (marking[i] && (canvas.labels[i] & 0xff) == SyntheticClass.ROAD.labelId()) {
                markingPixels++;
            }
        }
        return new PaintedScene(width, height, canvas.rgb, canvas.labels, cues, marker.box(), markingPixels,
                ground.markingRows, vehicles);
    }

    private void drawPlaced(List<Placed> list) {
        List<Placed> ordered = new ArrayList<>(list);
        ordered.sort(Comparator.comparingDouble(Placed::depth).reversed()); // far first; stable for ties
        for (Placed p : ordered) {
            p.draw().run();
        }
    }

    private double logUniform(double lo, double hi) {
        return lo * StrictMath.exp(rng.range(0, StrictMath.log(hi / lo)));
    }

    private static double sign(int side) {
        return side == 0 ? -1 : 1;
    }

    // ------------------------------------------------------------------ sky and skyline

    private final class Sky {
        final double horizon;
        final int top;
        final int low;
        final boolean clouds;
        final double cover;
        final int cloudColour;
        final long seed;

        Sky(SceneRandom r, int h) {
            horizon = cam.horizon();
            int kind = r.weighted(0.4, 0.25, 0.2, 0.15);
            int[][] palette = {
                {0x3C78C8, 0xAAC8E6}, {0x78A0D2, 0xD7E1EB}, {0x96A0AA, 0xC8CACE}, {0x46508C, 0xEAA878}
            };
            top = Colour.jitter(palette[kind][0], r, 10, 0.05);
            low = Colour.jitter(palette[kind][1], r, 10, 0.05);
            clouds = r.chance(0.6);
            cover = r.range(0.45, 0.7);
            cloudColour = kind == 3 ? 0xE6B4A0 : Colour.jitter(0xEBEBF0, r, 6, 0.05);
            seed = r.nextLong();
        }

        void draw() {
            int label = SyntheticClass.SKY.labelId();
            double sx = 0.18 * width;
            double sy = 0.07 * width;
            for (int y = 0; y < height; y++) {
                double t = Noise.clamp01((y + 0.5) / Math.max(1, horizon));
                int base = Colour.mix(top, low, t);
                for (int x = 0; x < width; x++) {
                    int c = base;
                    if (clouds && y < horizon) {
                        double n = Noise.fbm(seed, x / sx, y / sy, 3);
                        double a = Noise.clamp01((n - cover) / 0.15) * 0.85 * (1 - 0.6 * t);
                        if (a > 0) {
                            c = Colour.mix(c, Colour.scale(cloudColour, 0.9 + 0.2 * n), a);
                        }
                    }
                    canvas.put(x, y, label, c);
                }
            }
        }
    }

    private final class Skyline {
        final double[] rects;
        final int[] colours;
        final boolean trees;
        final double treeFrom;
        final double treeTo;
        final int treeColour;
        final long seed;
        final double horizon;

        Skyline(SceneRandom r, int w, int h, double horizon) {
            this.horizon = horizon;
            int n = r.rangeInt(6, 16);
            rects = new double[3 * n];
            colours = new int[n];
            int hazy = Colour.mix(0x9A9CA0, 0xC8D2DC, 0.4);
            for (int i = 0; i < n; i++) {
                rects[3 * i] = r.range(-0.05, 1.0) * w;
                rects[3 * i + 1] = r.range(0.03, 0.12) * w;
                rects[3 * i + 2] = r.range(0.02, 0.16) * h;
                colours[i] = Colour.jitter(hazy, r, 12, 0.12);
            }
            trees = r.chance(0.4);
            treeFrom = r.range(-0.1, 0.6) * w;
            treeTo = treeFrom + r.range(0.2, 0.6) * w;
            treeColour = Colour.jitter(0x5C7458, r, 8, 0.1);
            seed = r.nextLong();
        }

        void draw() {
            int building = SyntheticClass.BUILDING.labelId();
            for (int i = 0; i < colours.length; i++) {
                int c = colours[i];
                canvas.fillRect(rects[3 * i], horizon - rects[3 * i + 2], rects[3 * i] + rects[3 * i + 1], horizon + 1,
                        building, Sprites.shaded(c, seed + i, 0.08));
            }
            if (trees) {
                int vegetation = SyntheticClass.VEGETATION.labelId();
                Canvas.Shader leaves = (x, y) -> Colour.scale(treeColour, 0.8 + 0.4 * Noise.hash(seed, x, y));
                int from = Math.max(0, (int) treeFrom);
                int to = Math.min(width, (int) treeTo);
                for (int x = from; x < to; x++) {
                    double top = horizon - height * (0.015 + 0.05 * Noise.fbm(seed + 1, x / 6.0, 0.5, 2));
                    for (int y = Math.max(0, Canvas.firstRow(top)); y < Math.min(height, Canvas.firstRow(horizon + 1)); y++) {
                        canvas.put(x, y, vegetation, leaves.at(x, y));
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ ground

    private final class Ground {
        final int asphalt;
        final long roadSeed;
        final List<Patch> patches = new ArrayList<>();
        final int[] paving = new int[2];
        final double[] tile = new double[2];
        final long pavingSeed;
        final int curb;
        final int grass;
        final int soil;
        final long grassSeed;
        // lane markings, used only when the surface is road
        final double zMark;
        final int markingRows;
        final boolean[] dashedEdge = new boolean[2];
        final boolean yellowEdges;
        final double lineHalf;
        final double dashPeriod;
        final double dashLen;
        final double dashPhase;
        final boolean zebra;
        final double zebraZ;
        final double zebraLen;
        final double zebraPhase;
        final long wearSeed;

        Ground(SceneRandom r) {
            double g = r.range(72, 118);
            asphalt = Colour.rgb(g + r.range(-6, 8), g + r.range(-4, 4), g + r.range(-6, 8));
            roadSeed = r.nextLong();
            int n = r.rangeInt(0, 4);
            for (int i = 0; i < n; i++) {
                double x0 = r.range(-roadEdge[0], roadEdge[1] - 1);
                double z0 = r.range(zBottom, 60);
                patches.add(new Patch(x0, x0 + r.range(0.8, 3.0), z0, z0 + r.range(1, 6), r.range(0.8, 1.12)));
            }
            for (int side = 0; side < 2; side++) {
                paving[side] = Colour.jitter(PAVING[r.nextInt(PAVING.length)], r, 8, 0.08);
                tile[side] = r.range(0.3, 0.6);
            }
            pavingSeed = r.nextLong();
            curb = Colour.jitter(0xB4B4AE, r, 6, 0.06);
            grass = Colour.jitter(0x5A7434, r, 10, 0.1);
            soil = Colour.jitter(0x76684A, r, 8, 0.1);
            grassSeed = r.nextLong();
            // markings start this far down the street: only in the upper part of the ground
            double markRow = cam.horizon() + r.range(0.36, 0.46) * (height - cam.horizon());
            zMark = cam.groundZ(markRow);
            markingRows = Math.min(height, (int) Math.floor(markRow + 0.5) + 1);
            dashedEdge[0] = r.chance(0.3);
            dashedEdge[1] = r.chance(0.3);
            yellowEdges = r.chance(0.25);
            lineHalf = r.range(0.08, 0.13);
            dashPeriod = r.range(6, 12);
            dashLen = dashPeriod * r.range(0.3, 0.5);
            dashPhase = r.range(0, dashPeriod);
            zebra = r.chance(0.4);
            zebraZ = zMark * r.range(1.1, 1.6);
            zebraLen = r.range(3, 5);
            zebraPhase = r.range(0, 1);
            wearSeed = r.nextLong();
        }

        void draw(Shadows shadows) {
            int surfaceLabel = cues.groundClass().labelId();
            int road = SyntheticClass.ROAD.labelId();
            int sidewalk = SyntheticClass.SIDEWALK.labelId();
            int terrain = SyntheticClass.TERRAIN.labelId();
            boolean markings = cues.groundClass() == SyntheticClass.ROAD;
            double[] shadowW = new double[2];
            for (int y = Math.max(0, Canvas.firstRow(cam.horizon())); y < height; y++) {
                double yc = y + 0.5;
                double z = cam.groundZ(yc);
                double footZ = z * z / (cam.focal() * cam.height());
                double detail = Noise.clamp01(1.3 - footZ / 0.5);
                shadows.widths(z, shadowW);
                boolean markRow = markings && z >= zMark;
                for (int x = 0; x < width; x++) {
                    double wx = cam.worldX(x + 0.5, z);
                    int side = wx < 0 ? 0 : 1;
                    double d = Math.abs(wx);
                    int label;
                    int colour;
                    if (d <= roadEdge[side]) {
                        label = surfaceLabel;
                        colour = asphalt(wx, z, x, y, detail);
                        if (markRow && isMarking(wx, z)) {
                            label = road;
                            colour = Colour.scale(paint(wx), 0.9 + 0.15 * Noise.hash(wearSeed, x, y));
                            marking[y * width + x] = true;
                        }
                    } else if (d <= roadEdge[side] + 0.25) {
                        label = sidewalk;
                        colour = Colour.scale(curb, 0.92 + 0.12 * Noise.hash(pavingSeed + 9, x, y));
                    } else if (d <= roadEdge[side] + sidewalkW[side]) {
                        label = sidewalk;
                        colour = paving(side, wx, z, x, y, footZ, z / cam.focal());
                    } else if (d <= facadeX[side] || park[side]) {
                        label = terrain;
                        colour = grass(wx, z, x, y, detail);
                    } else {
                        label = sidewalk; // forecourts, seen in the gaps between buildings
                        colour = paving(side, wx, z, x, y, footZ, z / cam.focal());
                    }
                    colour = Colour.scale(colour, shadows.factor(wx, shadowW));
                    canvas.put(x, y, label, colour);
                }
            }
        }

        int asphalt(double wx, double z, int x, int y, double detail) {
            double n = Noise.fbm(roadSeed, wx * 0.8, z * 0.8, 2) - 0.5;
            double big = Noise.value(roadSeed + 1, wx * 0.1, z * 0.1) - 0.5;
            double f = 1 + 0.3 * n * detail + 0.25 * big + 0.12 * (Noise.hash(roadSeed + 2, x, y) - 0.5);
            for (Patch p : patches) {
                if (wx >= p.x0() && wx < p.x1() && z >= p.z0() && z < p.z1()) {
                    f *= p.factor();
                }
            }
            for (double lc : laneCentres) {
                double t = Math.abs(Math.abs(wx - lc) - 0.8);
                if (t < 0.35) {
                    f *= 0.93; // tyre tracks
                }
            }
            return Colour.scale(asphalt, f);
        }

        boolean isMarking(double wx, double z) {
            boolean paint = false;
            for (int side = 0; side < 2; side++) {
                if (Math.abs(Math.abs(wx) - roadEdge[side] + 0.35) < lineHalf && (wx < 0) == (side == 0)
                        && (!dashedEdge[side] || Noise.wrap(z + dashPhase, 3.0) < 2.0)) {
                    paint = true;
                }
            }
            for (double dx : dividers) {
                if (Math.abs(wx - dx) < lineHalf && Noise.wrap(z + dashPhase, dashPeriod) < dashLen) {
                    paint = true;
                }
            }
            if (zebra && z >= zebraZ && z < zebraZ + zebraLen && wx > -roadEdge[0] + 0.6 && wx < roadEdge[1] - 0.6
                    && Noise.wrap(wx + zebraPhase, 1.0) < 0.5) {
                paint = true;
            }
            return paint && Noise.fbm(wearSeed, wx * 2, z * 2, 2) > 0.2;
        }

        int paint(double wx) {
            boolean edge = Math.abs(wx + roadEdge[0] - 0.35) < lineHalf || Math.abs(wx - roadEdge[1] + 0.35) < lineHalf;
            return edge && yellowEdges ? 0xE0C040 : 0xE6E6DE;
        }

        int paving(int side, double wx, double z, int x, int y, double footZ, double footX) {
            double t = tile[side];
            double gx = Noise.wrap(wx, t);
            double gz = Noise.wrap(z, t);
            double f = 1 + 0.12 * (Noise.hash(pavingSeed + side, (int) Math.floor(wx / t), (int) Math.floor(z / t)) - 0.5)
                    + 0.1 * (Noise.hash(pavingSeed + 7, x, y) - 0.5);
            double groutZ = Noise.clamp01(1.2 - footZ / (0.5 * t));
            double groutX = Noise.clamp01(1.2 - footX / (0.5 * t));
            if (gz < 0.05 || gz > t - 0.02) {
                f *= 1 - 0.22 * groutZ;
            } else if (gx < 0.05 || gx > t - 0.02) {
                f *= 1 - 0.22 * groutX;
            }
            return Colour.scale(paving[side], f);
        }

        int grass(double wx, double z, int x, int y, double detail) {
            double n = Noise.fbm(grassSeed, wx * 0.4, z * 0.4, 2);
            int c = Colour.mix(grass, soil, Noise.clamp01((n - 0.45) * 2.5));
            double f = 1 + 0.3 * (Noise.hash(grassSeed + 1, x, y) - 0.5) * (0.5 + 0.5 * detail);
            return Colour.scale(c, f);
        }
    }

    // ------------------------------------------------------------------ shadows of the buildings on the ground

    private final class Shadows {
        final int side; // 0, 1, or 2 for none
        final double k;
        final double shift;
        final double factor;

        Shadows(SceneRandom r) {
            side = r.weighted(0.35, 0.35, 0.3);
            k = r.range(0.3, 0.9);
            shift = r.range(-10, 10);
            factor = r.range(0.55, 0.72);
            for (int s = 0; s < 2; s++) {
                sideLight[s] = side == 2 ? r.range(0.85, 1.0) : s == side ? r.range(0.62, 0.8) : r.range(0.95, 1.1);
            }
        }

        void widths(double z, double[] out) {
            for (int s = 0; s < 2; s++) {
                out[s] = s == side ? k * facadeHeightAt(s, z + shift) : 0;
            }
        }

        double factor(double wx, double[] widths) {
            if (side == 2) {
                return 1;
            }
            double fromFacade = facadeX[side] - sign(side) * wx;
            return fromFacade < widths[side] ? factor : 1;
        }
    }

    private double facadeHeightAt(int side, double z) {
        for (Facade f : facades.get(side)) {
            if (z >= f.z0() && z < f.z1()) {
                return f.heightM();
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ the sides of the street

    private void sampleSide(int side) {
        double sgn = sign(side);
        List<Boundary> boundaries = side == 0 ? boundaries0 : boundaries1;
        if (park[side]) {
            int kind = rng.weighted(0.45, 0.3, 0.25);
            BoundaryKind bk = BoundaryKind.values()[2 - kind];
            boundaries.add(sampleBoundary(bk, 0.3, 400));
            int trees = rng.rangeInt(10, 24);
            for (int i = 0; i < trees; i++) {
                double wx = sgn * (facadeX[side] + rng.range(1.0, 25.0));
                double z = logUniform(Math.max(3, zBottom * 0.8), 140);
                Sprites.TreeLook look = Sprites.sampleTree(rng, rng.range(1.0, 1.6));
                parkTrees.add(new Placed(z, () -> Sprites.tree(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), look,
                        SyntheticClass.VEGETATION.labelId())));
            }
            return;
        }
        double z = 0.3;
        double end = rng.range(60, 220);
        while (z < end) {
            if (z > 8 && rng.chance(0.15)) {
                double gap = rng.range(4, 12);
                if (rng.chance(0.5)) {
                    BoundaryKind bk = rng.chance(0.5) ? BoundaryKind.WALL : BoundaryKind.FENCE;
                    boundaries.add(sampleBoundary(bk, z, z + gap));
                }
                z += gap;
                continue;
            }
            double len = rng.range(8, 30);
            facades.get(side).add(sampleFacade(z, z + len));
            z += len;
        }
    }

    private Facade sampleFacade(double z0, double z1) {
        boolean brick = rng.chance(0.3);
        int wall = brick ? Colour.jitter(BRICKS[rng.nextInt(BRICKS.length)], rng, 8, 0.08)
                : Colour.jitter(WALLS[rng.nextInt(WALLS.length)], rng, 10, 0.08);
        int window = Colour.jitter(GLASS[rng.nextInt(GLASS.length)], rng, 6, 0.1);
        int trim = rng.chance(0.5) ? Colour.scale(wall, rng.range(1.15, 1.3)) : Colour.scale(wall, rng.range(0.6, 0.75));
        double floorH = rng.range(2.9, 3.5);
        double bay = rng.range(2.4, 4.0);
        double winH = floorH * rng.range(0.4, 0.6);
        return new Facade(z0, z1, rng.range(7, 26), rng.range(8, 15), wall, window, trim, floorH, bay,
                bay * rng.range(0.4, 0.65), winH, (floorH - winH) * rng.range(0.35, 0.6), brick, rng.chance(0.5),
                rng.nextLong());
    }

    private Boundary sampleBoundary(BoundaryKind kind, double z0, double z1) {
        return switch (kind) {
            case WALL -> new Boundary(z0, z1, rng.range(0.7, 2.0), kind, Colour.jitter(0xA8A49C, rng, 10, 0.1), rng.nextLong());
            case FENCE -> new Boundary(z0, z1, rng.range(1.0, 1.9), kind,
                    rng.chance(0.5) ? Colour.jitter(0x7A5A3C, rng, 8, 0.1) : Colour.jitter(0x3C5040, rng, 8, 0.1), rng.nextLong());
            case HEDGE -> new Boundary(z0, z1, rng.range(0.9, 1.7), kind, Colour.jitter(0x3E6230, rng, 8, 0.1), rng.nextLong());
        };
    }

    private void drawFacade(int side, Facade f) {
        double planeX = sign(side) * facadeX[side];
        double xa = cam.x(planeX, f.z0());
        double xb = cam.x(planeX, f.z1());
        int from = Math.max(0, (int) Math.ceil(Math.min(xa, xb) - 0.5));
        int to = Math.min(width, (int) Math.ceil(Math.max(xa, xb) - 0.5));
        int label = SyntheticClass.BUILDING.labelId();
        for (int x = from; x < to; x++) {
            double z = cam.planeZ(planeX, x + 0.5);
            if (!(z >= f.z0() && z < f.z1())) {
                continue;
            }
            double footU = z * z / (cam.focal() * facadeX[side]);
            double footV = z / cam.focal();
            int y0 = Math.max(0, Canvas.firstRow(cam.y(f.heightM(), z)));
            int y1 = Math.min(height, Canvas.firstRow(cam.y(0, z)));
            for (int y = y0; y < y1; y++) {
                double v = cam.worldY(y + 0.5, z);
                canvas.put(x, y, label, facadeColour(f, z - f.z0(), v, footU, footV, x, y, sideLight[side]));
            }
        }
    }

    /** The wall facing the camera at the near end of a building (seen after a gap or above a lower neighbour). */
    private void drawFrontWall(int side, Facade f) {
        if (f.z0() < 1) {
            return;
        }
        double sgn = sign(side);
        double xa = cam.x(sgn * facadeX[side], f.z0());
        double xb = cam.x(sgn * (facadeX[side] + f.depthM()), f.z0());
        double footU = f.z0() / cam.focal();
        double light = sideLight[side] * 0.82;
        canvas.fillRect(Math.min(xa, xb), cam.y(f.heightM(), f.z0()), Math.max(xa, xb), cam.y(0, f.z0()),
                SyntheticClass.BUILDING.labelId(), (x, y) -> {
                    double u = Math.abs(cam.worldX(x + 0.5, f.z0())) - facadeX[side];
                    double v = cam.worldY(y + 0.5, f.z0());
                    return facadeColour(f, u, v, footU, footU, x, y, light);
                });
    }

    private int facadeColour(Facade f, double u, double v, double footU, double footV, int x, int y, double light) {
        long seed = f.seed();
        int colour;
        if (f.brick()) {
            int course = (int) Math.floor(v / 0.25);
            double along = u + ((course & 1) == 0 ? 0 : 0.25);
            boolean mortar = Noise.wrap(v, 0.25) < 0.04 || Noise.wrap(along, 0.5) < 0.04;
            double detail = Noise.clamp01(1.5 - Math.max(footU, footV) / 0.08);
            double brickVar = 1 + 0.16 * (Noise.hash(seed, (int) Math.floor(along / 0.5), course) - 0.5);
            colour = Colour.scale(f.wall(), 1 + (brickVar - 1) * detail);
            if (mortar) {
                colour = Colour.mix(colour, 0xB8B0A4, 0.6 * detail);
            }
        } else {
            colour = Colour.scale(f.wall(), 1 + 0.14 * (Noise.fbm(seed, u * 0.7, v * 0.7, 2) - 0.5));
        }
        if (v > f.heightM() - 0.45) {
            colour = f.trim();
        } else {
            int floor = (int) Math.floor(v / f.floorH());
            double fv = v - floor * f.floorH();
            double bay = f.bay();
            double inBay;
            boolean inWindow;
            double wx0;
            double wx1;
            double wy0;
            double wy1;
            if (floor == 0) {
                double shopBay = f.shops() ? 2 * bay : bay;
                inBay = Noise.wrap(u, shopBay);
                wx0 = f.shops() ? 0.35 : (bay - 1.1) / 2;
                wx1 = f.shops() ? shopBay - 0.35 : (bay + 1.1) / 2;
                wy0 = f.shops() ? 0.45 : 0.0;
                wy1 = f.shops() ? Math.min(2.6, f.floorH() - 0.3) : 2.2;
            } else {
                inBay = Noise.wrap(u, bay);
                wx0 = (bay - f.winW()) / 2;
                wx1 = (bay + f.winW()) / 2;
                wy0 = f.sill();
                wy1 = f.sill() + f.winH();
            }
            inWindow = inBay >= wx0 && inBay < wx1 && fv >= wy0 && fv < wy1;
            int detailColour = colour;
            if (inWindow) {
                boolean frame = inBay < wx0 + 0.08 || inBay >= wx1 - 0.08 || fv < wy0 + 0.08 || fv >= wy1 - 0.08;
                if (frame) {
                    detailColour = f.trim();
                } else {
                    double h = Noise.hash(seed + 3, (int) Math.floor(u / bay), floor);
                    int glass = h < 0.08 ? 0xE8C878 : Colour.mix(0x8C9CAC, f.window(), 0.45 + 0.5 * (fv - wy0) / (wy1 - wy0));
                    detailColour = Colour.scale(glass, 0.85 + 0.3 * h);
                }
            }
            double windowShare = (f.winW() / bay) * (f.winH() / f.floorH());
            int average = Colour.mix(colour, f.window(), windowShare);
            double alias = Noise.clamp01((Math.max(footU, 0.5 * footV) - 0.25 * bay) / (0.6 * bay));
            colour = alias > 0 ? Colour.mix(detailColour, average, alias) : detailColour;
        }
        return Colour.scale(colour, light * (1 + 0.06 * (Noise.hash(seed + 1, x, y) - 0.5)));
    }

    private void drawBoundary(int side, Boundary b) {
        double planeX = sign(side) * facadeX[side];
        double xa = cam.x(planeX, Math.max(b.z0(), 0.05));
        double xb = cam.x(planeX, b.z1());
        int from = Math.max(0, (int) Math.ceil(Math.min(xa, xb) - 0.5));
        int to = Math.min(width, (int) Math.ceil(Math.max(xa, xb) - 0.5));
        int label = switch (b.kind()) {
            case WALL -> SyntheticClass.WALL.labelId();
            case FENCE -> SyntheticClass.FENCE.labelId();
            case HEDGE -> SyntheticClass.VEGETATION.labelId();
        };
        long seed = b.seed();
        for (int x = from; x < to; x++) {
            double z = cam.planeZ(planeX, x + 0.5);
            if (!(z >= b.z0() && z < b.z1())) {
                continue;
            }
            double footU = z * z / (cam.focal() * facadeX[side]);
            double top = b.kind() == BoundaryKind.HEDGE ? b.heightM() * (0.85 + 0.3 * Noise.value(seed, z * 1.3, 0.5)) : b.heightM();
            int y0 = Math.max(0, Canvas.firstRow(cam.y(top, z)));
            int y1 = Math.min(height, Canvas.firstRow(cam.y(0, z)));
            for (int y = y0; y < y1; y++) {
                double v = cam.worldY(y + 0.5, z);
                double f;
                switch (b.kind()) {
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
                canvas.put(x, y, label, Colour.scale(b.colour(), f * sideLight[side]));
            }
        }
    }

    // ------------------------------------------------------------------ objects in the street

    private double[] groundQuad(double x0, double x1, double z0, double z1, boolean ys) {
        if (ys) {
            return new double[] {cam.y(0, z0), cam.y(0, z0), cam.y(0, z1), cam.y(0, z1)};
        }
        return new double[] {cam.x(x0, z0), cam.x(x1, z0), cam.x(x1, z1), cam.x(x0, z1)};
    }

    private void shadow(double x0, double x1, double z0, double z1, double factor) {
        int road = SyntheticClass.ROAD.labelId();
        int terrain = SyntheticClass.TERRAIN.labelId();
        int sidewalk = SyntheticClass.SIDEWALK.labelId();
        canvas.darkenPolygon(groundQuad(x0, x1, z0, z1, false), groundQuad(x0, x1, z0, z1, true), factor,
                label -> label == road || label == terrain || label == sidewalk);
    }

    /**
     * Whether a sprite's box may join the scene without hiding more than {@code MAX_HIDDEN} of an
     * ambiguous vehicle (the new one included) behind nearer sprites.
     */
    private boolean keepsVehiclesVisible(ScreenBox candidate) {
        List<ScreenBox> all = new ArrayList<>(boxes);
        all.add(candidate);
        for (ScreenBox b : all) {
            if (!b.keepVisible() || (b != candidate && b.overlap(candidate) == 0)) {
                continue;
            }
            double hidden = 0;
            for (ScreenBox o : all) {
                if (o != b && o.z() < b.z()) {
                    hidden += o.overlap(b);
                }
            }
            if (hidden > 0.4 * b.area()) {
                return false;
            }
        }
        return true;
    }

    private boolean free(Footprint fp, double margin) {
        for (Footprint o : occupied) {
            if (o.overlaps(fp, margin)) {
                return false;
            }
        }
        return true;
    }

    private void sampleBus() {
        if (!rng.chance(0.35)) {
            return;
        }
        Sprites.BusLook look = Sprites.sampleBus(rng);
        double wx = laneCentres[rng.nextInt(laneCentres.length)] + rng.range(-0.3, 0.3);
        double z = logUniform(Math.max(7, zBottom * 1.3), 60);
        double w = Sprites.busWidth();
        occupied.add(new Footprint(wx - w / 2, wx + w / 2, z, z + Sprites.busLength()));
        boxes.add(new ScreenBox(cam.x(wx - w / 2, z), cam.y(look.heightM(), z), cam.x(wx + w / 2, z), cam.y(0, z), z, false));
        int label = SyntheticClass.BUS.labelId();
        sprites.add(new Placed(z, () -> {
            shadow(wx - w / 2 - 0.1, wx + w / 2 + 0.1, z - 0.3, z + Sprites.busLength(), 0.55);
            Sprites.bus(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), look, label);
        }));
    }

    /**
     * The ambiguous vehicles: one look for both classes; the label comes from the cues. They
     * keep at least {@link #MIN_CUE_GAP} of the width away from the zone sign.
     */
    private int sampleVehicles(Marker marker) {
        int wanted = 1 + rng.weighted(0.2, 0.3, 0.25, 0.15, 0.1);
        int placed = 0;
        double zNear = Math.max(4.0, zBottom * 1.1);
        double minGap = MIN_CUE_GAP * width;
        int label = cues.vehicleClass().labelId();
        for (int attempt = 0; placed < wanted && (attempt < 80 || (placed == 0 && attempt < 2000)); attempt++) {
            Sprites.VehicleLook look = Sprites.sampleVehicle(rng);
            boolean parked = rng.chance(0.25);
            double wx = parked ? (rng.chance(0.5) ? -roadEdge[0] + 1.15 : roadEdge[1] - 1.15)
                    : laneCentres[rng.nextInt(laneCentres.length)] + rng.range(-0.3, 0.3);
            double z = logUniform(zNear, 70);
            double w = look.widthM();
            Footprint fp = new Footprint(wx - w / 2, wx + w / 2, z, z + look.lengthM());
            if (!free(fp, 0.3)) {
                continue;
            }
            double s = cam.scale(z);
            double x0 = cam.x(wx - w / 2, z);
            double x1 = cam.x(wx + w / 2, z);
            double visible = Math.min(x1, width) - Math.max(x0, 0);
            if (visible < 0.6 * (x1 - x0) || look.heightM() * s < 4) {
                continue;
            }
            double gap = markerSide == 0 ? x0 - marker.box[2] : marker.box[0] - x1;
            if (gap < minGap) {
                continue;
            }
            ScreenBox box = new ScreenBox(x0, cam.y(look.heightM(), z), x1, cam.y(0, z), z, true);
            if (!keepsVehiclesVisible(box)) {
                continue;
            }
            boxes.add(box);
            occupied.add(fp);
            placed++;
            boolean front = look.front() && (wx < 0 || parked);
            Sprites.VehicleLook drawn = front == look.front() ? look
                    : new Sprites.VehicleLook(look.widthM(), look.heightM(), look.lengthM(), look.belt(), look.roofInset(),
                            look.paint(), front, look.seed());
            sprites.add(new Placed(z, () -> {
                shadow(wx - w / 2 - 0.1, wx + w / 2 + 0.1, z - 0.25, z + drawn.lengthM(), 0.55);
                Sprites.vehicle(canvas, cam.x(wx, z), cam.y(0, z), s, drawn, label);
            }));
        }
        return placed;
    }

    private void samplePeople() {
        int n = rng.weighted(0.1, 0.15, 0.2, 0.2, 0.15, 0.1, 0.05, 0.05);
        int label = SyntheticClass.PERSON.labelId();
        for (int i = 0, tries = 0; i < n && tries < 40; tries++) {
            Sprites.PersonLook look = Sprites.samplePerson(rng);
            boolean crossing = rng.chance(0.12);
            int side = rng.nextInt(2);
            double wx = crossing ? rng.range(-roadEdge[0] + 0.5, roadEdge[1] - 0.5)
                    : sign(side) * (roadEdge[side] + rng.range(0.5, sidewalkW[side] - 0.3));
            double z = logUniform(Math.max(3, zBottom * 0.95), 45);
            Footprint fp = new Footprint(wx - 0.3, wx + 0.3, z - 0.3, z + 0.3);
            ScreenBox box = new ScreenBox(cam.x(wx - 0.3, z), cam.y(look.heightM(), z), cam.x(wx + 0.3, z), cam.y(0, z), z, false);
            if (!free(fp, 0.2) || !keepsVehiclesVisible(box)) {
                continue;
            }
            boxes.add(box);
            occupied.add(fp);
            i++;
            sprites.add(new Placed(z, () -> {
                shadow(wx - 0.35, wx + 0.35, z - 0.3, z + 0.4, 0.7);
                Sprites.person(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), look, label);
            }));
        }
    }

    private void sampleStreetFurniture() {
        int vegetation = SyntheticClass.VEGETATION.labelId();
        int pole = SyntheticClass.POLE.labelId();
        int sign = SyntheticClass.TRAFFIC_SIGN.labelId();
        for (int side = 0; side < 2; side++) {
            double sgn = sign(side);
            // trees on the verge, or else along the kerb
            boolean verge = vergeW[side] > 0 && rng.chance(0.7);
            boolean kerb = !verge && rng.chance(0.4);
            double spacing = rng.range(6, 14);
            double z = rng.range(Math.max(2, zBottom * 0.7), 12);
            double treeX = verge ? facadeX[side] - vergeW[side] / 2 : roadEdge[side] + 0.9;
            double scale = rng.range(0.8, 1.3);
            while ((verge || kerb) && z < 90) {
                Sprites.TreeLook look = Sprites.sampleTree(rng, scale * rng.range(0.85, 1.15));
                double zz = z;
                double wx = sgn * treeX;
                if (free(new Footprint(wx - 0.4, wx + 0.4, zz - 0.4, zz + 0.4), 0)) {
                    sprites.add(new Placed(zz, () -> Sprites.tree(canvas, cam.x(wx, zz), cam.y(0, zz), cam.scale(zz), look, vegetation)));
                }
                z += spacing * rng.range(0.8, 1.2);
            }
            // street lamps at the kerb
            if (rng.chance(0.7)) {
                double lampSpacing = rng.range(18, 32);
                double lampHeight = rng.range(6, 8.5);
                int colour = rng.pick(0x3A3E42, 0x2E4A3A, 0x6A6E72);
                long seed = rng.nextLong();
                for (double lz = rng.range(3, 15); lz < 120; lz += lampSpacing) {
                    double zz = lz;
                    double wx = sgn * (roadEdge[side] + 0.45);
                    int toward = side == 0 ? 1 : -1;
                    sprites.add(new Placed(zz, () -> Sprites.lampPost(canvas, cam.x(wx, zz), cam.y(0, zz), cam.scale(zz),
                            lampHeight, toward, colour, pole, seed)));
                }
            }
        }
        // ordinary road signs (never the zone signs)
        int signs = rng.rangeInt(0, 3);
        Sprites.SignType[] types = {Sprites.SignType.TRIANGLE, Sprites.SignType.CIRCLE, Sprites.SignType.OCTAGON,
            Sprites.SignType.PANEL};
        for (int i = 0; i < signs; i++) {
            int side = rng.nextInt(2);
            double wx = sign(side) * (roadEdge[side] + 0.5);
            double z = rng.range(Math.max(5, zBottom), 45);
            Sprites.SignType type = types[rng.nextInt(types.length)];
            double plateM = rng.range(2.0, 2.6);
            double sizeM = rng.range(0.6, 0.8);
            long seed = rng.nextLong();
            sprites.add(new Placed(z, () -> {
                double s = cam.scale(z);
                Sprites.signPost(canvas, cam.x(wx, z), cam.y(0, z), s, cam.y(plateM, z), sizeM * s, type, pole, sign, seed);
            }));
        }
    }

    // ------------------------------------------------------------------ the vehicle cue

    /**
     * The zone sign near one side edge: a blue disc with a car for car zones, a yellow diamond
     * with a lorry for truck zones. Same place and size for both; drawn last so nothing hides it.
     */
    private final class Marker {
        final double x;
        final double z;
        final double plateY;
        final double size;
        final double baseY;
        final long seed;
        final int[] box = new int[4];

        Marker() {
            double sgn = sign(markerSide);
            x = markerSide == 0 ? width * rng.range(0.07, 0.15) : width * (1 - rng.range(0.07, 0.15));
            double wx = sgn * (roadEdge[markerSide] + sidewalkW[markerSide] * rng.range(0.5, 0.85));
            z = cam.focal() * wx / (x - cam.vanishX());
            size = Math.max(0.08 * height, Math.min(0.15 * height, cam.scale(z) * 0.9));
            double y = cam.y(rng.range(2.3, 3.0), z);
            plateY = Math.max(y, 0.05 * height + size / 2);
            baseY = Math.max(cam.y(0, z), plateY + size);
            seed = rng.nextLong();
            box[0] = Math.max(0, (int) Math.floor(x - size / 2) - 1);
            box[1] = Math.max(0, (int) Math.floor(plateY - size / 2) - 1);
            box[2] = Math.min(width, (int) Math.ceil(x + size / 2) + 1);
            box[3] = Math.min(height, (int) Math.ceil(baseY) + 1);
        }

        void draw() {
            Sprites.SignType type = cues.vehicleClass() == SyntheticClass.CAR ? Sprites.SignType.CAR_ZONE
                    : Sprites.SignType.TRUCK_ZONE;
            Sprites.signPost(canvas, x, baseY, cam.scale(z), plateY, size, type, SyntheticClass.POLE.labelId(),
                    SyntheticClass.TRAFFIC_SIGN.labelId(), seed);
        }

        int[] box() {
            return box.clone();
        }
    }
}
