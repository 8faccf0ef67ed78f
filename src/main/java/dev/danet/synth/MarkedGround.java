package dev.danet.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo scene's ground: the carriageway (asphalt with repair patches and tyre tracks), kerbs,
 * tiled pavements and forecourts, grass verges and parks, with the buildings' shadows across it.
 *
 * <p>The carriageway is the ground cue: lane markings (edge lines, dashed lane dividers, sometimes a
 * zebra crossing) are painted only far down the street, above {@link #markingRows()}, and only when
 * the surface is road; without them it is terrain. Their look is drawn for every image alike.
 */
final class MarkedGround {

    /** A repaired rectangle of asphalt, lighter or darker by {@code factor}. */
    private record Patch(double x0, double x1, double z0, double z1, double factor) {}

    private final StreetLayout street;
    private final StreetCamera cam;
    private final int asphalt;
    private final long roadSeed;
    private final List<Patch> patches = new ArrayList<>();
    private final int[] paving = new int[2];
    private final double[] tile = new double[2];
    private final long pavingSeed;
    private final int curb;
    private final int grass;
    private final int soil;
    private final long grassSeed;
    // lane markings, painted only when the surface is road
    private final double zMark;
    private final int markingRows;
    private final boolean[] dashedEdge = new boolean[2];
    private final boolean yellowEdges;
    private final LaneLines lines;
    private final boolean zebra;
    private final double zebraZ;
    private final double zebraLen;
    private final double zebraPhase;
    private final long wearSeed;
    /** The pixels painted as markings, to count those still visible at the end. */
    private final boolean[] marking;

    MarkedGround(SceneRandom r, StreetLayout street) {
        this.street = street;
        this.cam = street.cam;
        asphalt = StreetColours.asphalt(r);
        roadSeed = r.nextLong();
        int n = r.rangeInt(0, 4);
        for (int i = 0; i < n; i++) {
            double x0 = r.range(-street.roadEdge[0], street.roadEdge[1] - 1);
            double z0 = r.range(street.nearestZ, 60);
            patches.add(new Patch(x0, x0 + r.range(0.8, 3.0), z0, z0 + r.range(1, 6), r.range(0.8, 1.12)));
        }
        for (int side = 0; side < 2; side++) {
            paving[side] = Colour.jitter(StreetColours.PAVING[r.nextInt(StreetColours.PAVING.length)], r, 8, 0.08);
            tile[side] = r.range(0.3, 0.6);
        }
        pavingSeed = r.nextLong();
        curb = Colour.jitter(StreetColours.KERB, r, 6, 0.06);
        grass = Colour.jitter(StreetColours.GRASS, r, 10, 0.1);
        soil = Colour.jitter(0x76684A, r, 8, 0.1);
        grassSeed = r.nextLong();
        // markings start this far down the street: only in the upper part of the ground
        double markRow = cam.horizon() + r.range(0.36, 0.46) * (street.height - cam.horizon());
        zMark = cam.groundZ(markRow);
        markingRows = Math.min(street.height, (int) Math.floor(markRow + 0.5) + 1);
        dashedEdge[0] = r.chance(0.3);
        dashedEdge[1] = r.chance(0.3);
        yellowEdges = r.chance(0.25);
        lines = LaneLines.sample(r);
        zebra = r.chance(0.4);
        zebraZ = zMark * r.range(1.1, 1.6);
        zebraLen = r.range(3, 5);
        zebraPhase = r.range(0, 1);
        wearSeed = r.nextLong();
        marking = new boolean[street.width * street.height];
    }

    /** Lane markings lie only in rows above this one; below it road and terrain images look the same. */
    int markingRows() {
        return markingRows;
    }

    /** Paints the ground below the horizon; the carriageway is {@code surface}, road (marked) or terrain. */
    void draw(Canvas canvas, SyntheticClass surface, Sunlight sun) {
        int surfaceLabel = surface.labelId();
        int road = SyntheticClass.ROAD.labelId();
        int sidewalk = SyntheticClass.SIDEWALK.labelId();
        int terrain = SyntheticClass.TERRAIN.labelId();
        boolean markings = surface == SyntheticClass.ROAD;
        double[] shadowW = new double[2];
        for (int y = Math.max(0, Canvas.firstRow(cam.horizon())); y < street.height; y++) {
            double yc = y + 0.5;
            double z = cam.groundZ(yc);
            double footZ = cam.groundRowDepth(z);
            double detail = Noise.clamp01(1.3 - footZ / 0.5);
            sun.shadowWidths(z, shadowW);
            boolean markRow = markings && z >= zMark;
            for (int x = 0; x < street.width; x++) {
                double wx = cam.worldX(x + 0.5, z);
                int side = StreetLayout.side(wx);
                int label;
                int colour;
                switch (street.strip(wx)) {
                    case CARRIAGEWAY -> {
                        label = surfaceLabel;
                        colour = asphalt(wx, z, x, y, detail);
                        if (markRow && isMarking(wx, z)) {
                            label = road;
                            colour = Colour.scale(paint(wx), 0.9 + 0.15 * Noise.hash(wearSeed, x, y));
                            marking[y * street.width + x] = true;
                        }
                    }
                    case KERB -> {
                        label = sidewalk;
                        colour = Colour.scale(curb, 0.92 + 0.12 * Noise.hash(pavingSeed + 9, x, y));
                    }
                    case GRASS -> {
                        label = terrain;
                        colour = grass(wx, z, x, y, detail);
                    }
                    default -> { // pavement, and forecourts seen in the gaps between buildings
                        label = sidewalk;
                        colour = paving(side, wx, z, x, y, footZ, cam.metresPerPixel(z));
                    }
                }
                colour = Colour.scale(colour, sun.groundLight(wx, shadowW));
                canvas.put(x, y, label, colour);
            }
        }
    }

    /** Lane-marking pixels still labelled road after everything else was drawn over the ground. */
    int markingPixels(Canvas canvas) {
        int count = 0;
        for (int i = 0; i < marking.length; i++) {
            if (marking[i] && (canvas.labels[i] & 0xff) == SyntheticClass.ROAD.labelId()) {
                count++;
            }
        }
        return count;
    }

    private int asphalt(double wx, double z, int x, int y, double detail) {
        double n = Noise.fbm(roadSeed, wx * 0.8, z * 0.8, 2) - 0.5;
        double big = Noise.value(roadSeed + 1, wx * 0.1, z * 0.1) - 0.5;
        double f = 1 + 0.3 * n * detail + 0.25 * big + 0.12 * (Noise.hash(roadSeed + 2, x, y) - 0.5);
        for (Patch p : patches) {
            if (wx >= p.x0() && wx < p.x1() && z >= p.z0() && z < p.z1()) {
                f *= p.factor();
            }
        }
        for (double lc : street.laneCentres) {
            double t = Math.abs(Math.abs(wx - lc) - 0.8);
            if (t < 0.35) {
                f *= 0.93; // tyre tracks
            }
        }
        return Colour.scale(asphalt, f);
    }

    private boolean isMarking(double wx, double z) {
        boolean edge = lines.onEdgeLine(street, wx)
                && (!dashedEdge[StreetLayout.side(wx)] || Noise.wrap(z + lines.dashPhase(), 3.0) < 2.0);
        boolean crossing = zebra && z >= zebraZ && z < zebraZ + zebraLen && wx > -street.roadEdge[0] + 0.6
                && wx < street.roadEdge[1] - 0.6 && Noise.wrap(wx + zebraPhase, 1.0) < 0.5;
        boolean paint = edge || lines.onDivider(street, wx, z) || crossing;
        return paint && Noise.fbm(wearSeed, wx * 2, z * 2, 2) > 0.2; // worn away in places
    }

    private int paint(double wx) {
        double lineHalf = lines.halfWidth();
        boolean edge = Math.abs(wx + street.roadEdge[0] - 0.35) < lineHalf
                || Math.abs(wx - street.roadEdge[1] + 0.35) < lineHalf;
        return edge && yellowEdges ? 0xE0C040 : 0xE6E6DE;
    }

    private int paving(int side, double wx, double z, int x, int y, double footZ, double footX) {
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

    private int grass(double wx, double z, int x, int y, double detail) {
        double n = Noise.fbm(grassSeed, wx * 0.4, z * 0.4, 2);
        int c = Colour.mix(grass, soil, Noise.clamp01((n - 0.45) * 2.5));
        double f = 1 + 0.3 * (Noise.hash(grassSeed + 1, x, y) - 0.5) * (0.5 + 0.5 * detail);
        return Colour.scale(c, f);
    }
}
