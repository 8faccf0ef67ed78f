package dev.danet.synth;

/**
 * The objects of a synthetic street scene, drawn upright at a ground point (cx, by) with a
 * scale in pixels per metre. Each draws its colour and its labelId with the same shapes.
 * Looks are sampled here too, so that what an object looks like never depends on its label.
 */
final class Sprites {

    private Sprites() {}

    private static final int[] CAR_PAINTS = {
        0xE8E8E6, 0xB9BCC0, 0x8A8E93, 0x3A3D42, 0x1E1F22, 0x9A1E1E, 0x24407A, 0x2F5A3A,
        0xC9B48A, 0x6E4A2E, 0xD8C23A, 0x5A6E8C
    };
    private static final int[] BUS_PAINTS = {0xE6C21C, 0xC8261E, 0xE9ECEF, 0x1F6E3A, 0x2C55A8};
    private static final int[] SHIRTS = {
        0x202020, 0xE0E0E0, 0x2B4C8C, 0x8C2020, 0x3C6E3C, 0xC8A050, 0x6A3C8C, 0xD06A28, 0x506070, 0x8C8C8C
    };
    private static final int[] TROUSERS = {0x1C2230, 0x2A2A2A, 0x3C4A64, 0x6A5A46, 0x8A8070, 0x222222};
    private static final int[] SKINS = {0xF0C8A8, 0xD8A880, 0xB07850, 0x7A5034, 0x5A3A26};
    private static final int[] HAIRS = {0x1A1410, 0x3A2A1A, 0x6A4A2A, 0xB08850, 0x888888};
    private static final int[] LEAVES = {0x3E6B2A, 0x4E7A2E, 0x2E5A26, 0x5A7A34, 0x46632E};

    // ---------------------------------------------------------------- vehicles

    /** The one look shared by every ambiguous vehicle, whichever class its image gives it. */
    record VehicleLook(double widthM, double heightM, double lengthM, double belt, double roofInset,
                       int paint, boolean front, long seed) {}

    static VehicleLook sampleVehicle(SceneRandom r) {
        int kind = r.weighted(0.55, 0.28, 0.17);
        double width;
        double height;
        double length;
        double belt;
        double inset;
        switch (kind) {
            case 0 -> { // saloon
                width = r.range(1.68, 1.86);
                height = r.range(1.38, 1.56);
                length = r.range(4.2, 4.9);
                belt = r.range(0.52, 0.6);
                inset = r.range(0.13, 0.19);
            }
            case 1 -> { // estate / SUV
                width = r.range(1.8, 1.98);
                height = r.range(1.6, 1.85);
                length = r.range(4.4, 5.0);
                belt = r.range(0.5, 0.56);
                inset = r.range(0.07, 0.12);
            }
            default -> { // van
                width = r.range(1.9, 2.08);
                height = r.range(1.9, 2.2);
                length = r.range(4.8, 5.6);
                belt = r.range(0.45, 0.52);
                inset = r.range(0.02, 0.05);
            }
        }
        int paint = Colour.jitter(r.pick(CAR_PAINTS), r, 8, 0.06);
        return new VehicleLook(width, height, length, belt, inset, paint, r.chance(0.3), r.nextLong());
    }

    static void vehicle(Canvas c, double cx, double by, double s, VehicleLook v, int label) {
        double w = v.widthM() * s;
        double h = v.heightM() * s;
        double left = cx - w / 2;
        double right = cx + w / 2;
        double top = by - h;
        double belt = by - v.belt() * h;
        double bodyBottom = by - 0.22 * s;
        long seed = v.seed();
        int paint = v.paint();
        Canvas.Shader body = (x, y) -> {
            double t = (y + 0.5 - top) / h;
            double f = 1.1 - 0.3 * t + 0.08 * (Noise.hash(seed, x, y) - 0.5);
            if (Math.abs(y + 0.5 - belt) < Math.max(0.6, 0.025 * h)) {
                f *= 1.18; // highlight along the belt line
            }
            return Colour.scale(paint, f);
        };
        Canvas.Shader tyre = tyre(seed);
        double tw = 0.17 * w;
        c.fillRect(left + 0.05 * w, by - 0.4 * s, left + 0.05 * w + tw, by, label, tyre);
        c.fillRect(right - 0.05 * w - tw, by - 0.4 * s, right - 0.05 * w, by, label, tyre);
        c.fillRect(left, belt, right, bodyBottom, label, body);
        // bumper
        int bumper = Colour.mix(paint, 0x202020, 0.6);
        c.fillRect(left + 0.01 * w, bodyBottom - 0.1 * h, right - 0.01 * w, bodyBottom, label,
                (x, y) -> Colour.scale(bumper, 0.9 + 0.2 * Noise.hash(seed + 2, x, y)));
        // cabin, chamfered at the roof
        double inset = v.roofInset() * w;
        double chamfer = 0.05 * w;
        c.fillPolygon(
                new double[] {left + 0.02 * w, right - 0.02 * w, right - inset, right - inset - chamfer,
                    left + inset + chamfer, left + inset},
                new double[] {belt + 0.5, belt + 0.5, top + chamfer, top, top, top + chamfer},
                label, body);
        // window: the cabin's trapezoid shrunk
        double wt = top + 0.1 * h;
        double wb = belt - 0.05 * h;
        double edgeTop = inset + 0.07 * w;
        double edgeBottom = 0.02 * w + 0.07 * w;
        int reflection = Noise.hash(seed, 7, 7) < 0.5 ? 0x9AA8B8 : 0x7C8896;
        c.fillPolygon(
                new double[] {left + edgeBottom, right - edgeBottom, right - edgeTop, left + edgeTop},
                new double[] {wb, wb, wt, wt},
                label, (x, y) -> {
                    double t = Noise.clamp01((y + 0.5 - wt) / Math.max(1, wb - wt));
                    int glass = Colour.mix(reflection, 0x1A2028, 0.35 + 0.6 * t);
                    return Colour.scale(glass, 0.92 + 0.16 * Noise.hash(seed + 3, x, y));
                });
        // lights and plate
        int lamp = v.front() ? 0xECE6C8 : TAIL_LIGHT;
        double ly0 = belt + 0.04 * h;
        double ly1 = belt + 0.13 * h;
        mirrored(c, left, right, 0.03 * w, 0.19 * w, ly0, ly1, label, (x, y) -> lamp);
        if (v.front()) {
            c.fillRect(cx - 0.2 * w, ly0, cx + 0.2 * w, ly1 + 0.04 * h, label,
                    (x, y) -> Colour.scale(0x26282C, 0.8 + 0.4 * Noise.hash(seed + 4, x, y)));
        }
        double py = bodyBottom - 0.2 * h;
        c.fillRect(cx - 0.12 * w, py, cx + 0.12 * w, py + 0.08 * h, label, (x, y) -> 0xE4E4DC);
    }

    record BusLook(double heightM, int paint, int stripe, long seed) {}

    static BusLook sampleBus(SceneRandom r) {
        int paint = Colour.jitter(r.pick(BUS_PAINTS), r, 6, 0.05);
        int stripe = r.chance(0.5) ? 0x202020 : Colour.jitter(r.pick(BUS_PAINTS), r, 6, 0.05);
        return new BusLook(r.range(3.0, 3.4), paint, stripe, r.nextLong());
    }

    static double busWidth() {
        return 2.55;
    }

    static double busLength() {
        return 12.0;
    }

    static void bus(Canvas c, double cx, double by, double s, BusLook b, int label) {
        double w = busWidth() * s;
        double h = b.heightM() * s;
        double left = cx - w / 2;
        double right = cx + w / 2;
        double top = by - h;
        long seed = b.seed();
        mirrored(c, left, right, 0.06 * w, 0.24 * w, by - 0.5 * s, by, label, tyre(seed));
        int paint = b.paint();
        c.fillRect(left, top, right, by - 0.3 * s, label, (x, y) -> {
            double t = (y + 0.5 - top) / h;
            return Colour.scale(paint, 1.05 - 0.2 * t + 0.08 * (Noise.hash(seed, x, y) - 0.5));
        });
        int stripe = b.stripe();
        c.fillRect(left, by - 0.5 * h, right, by - 0.4 * h, label, (x, y) -> stripe);
        // rear window
        c.fillRect(left + 0.08 * w, top + 0.17 * h, right - 0.08 * w, top + 0.48 * h, label, (x, y) -> {
            double t = (y + 0.5 - top - 0.17 * h) / (0.31 * h);
            return Colour.scale(Colour.mix(0x6A7888, 0x141A22, 0.3 + 0.6 * t), 0.9 + 0.2 * Noise.hash(seed + 2, x, y));
        });
        // destination display: amber dots on black
        c.fillRect(left + 0.14 * w, top + 0.04 * h, right - 0.14 * w, top + 0.12 * h, label,
                (x, y) -> Noise.hash(seed + 3, x, y) < 0.45 ? 0xF0A020 : 0x101010);
        // engine grille
        double gy0 = by - 0.34 * h;
        double pitch = Math.max(2, 0.12 * s);
        c.fillRect(cx - 0.3 * w, gy0, cx + 0.3 * w, by - 0.16 * h, label,
                (x, y) -> Noise.wrap(y - gy0, pitch) < pitch / 2 ? 0x1E1E1E : Colour.scale(paint, 0.7));
        mirrored(c, left, right, 0.03 * w, 0.12 * w, by - 0.3 * h, by - 0.2 * h, label, (x, y) -> TAIL_LIGHT);
    }

    // ---------------------------------------------------------------- people

    record PersonLook(double heightM, int shirt, int trousers, int skin, int hair, double stride,
                      boolean bag, int bagColour, long seed) {}

    static PersonLook samplePerson(SceneRandom r) {
        return new PersonLook(r.range(1.55, 1.95),
                Colour.jitter(r.pick(SHIRTS), r, 10, 0.08),
                Colour.jitter(r.pick(TROUSERS), r, 8, 0.08),
                r.pick(SKINS), r.pick(HAIRS), r.range(-0.06, 0.06), r.chance(0.3),
                Colour.jitter(r.pick(SHIRTS), r, 10, 0.1), r.nextLong());
    }

    static void person(Canvas c, double cx, double by, double s, PersonLook p, int label) {
        double h = p.heightM() * s;
        long seed = p.seed();
        Canvas.Shader cloth = shaded(p.trousers(), seed, 0.12);
        double legTop = by - 0.48 * h;
        double legW = Math.max(1, 0.085 * h);
        double stride = p.stride() * h;
        c.fillPolygon(new double[] {cx - 0.1 * h, cx - 0.1 * h + legW, cx - 0.02 * h + stride + legW, cx - 0.02 * h + stride},
                new double[] {legTop, legTop, by, by}, label, cloth);
        c.fillPolygon(new double[] {cx + 0.1 * h - legW, cx + 0.1 * h, cx + 0.02 * h - stride, cx + 0.02 * h - stride - legW},
                new double[] {legTop, legTop, by, by}, label, cloth);
        Canvas.Shader shirt = shaded(p.shirt(), seed + 1, 0.12);
        double shoulders = by - 0.82 * h;
        // arms, then the torso over them
        double armW = Math.max(1, 0.06 * h);
        c.fillRect(cx - 0.15 * h - armW * 0.5, shoulders + 0.02 * h, cx - 0.15 * h + armW * 0.5, by - 0.5 * h, label, shirt);
        c.fillRect(cx + 0.15 * h - armW * 0.5, shoulders + 0.02 * h, cx + 0.15 * h + armW * 0.5, by - 0.5 * h, label, shirt);
        c.fillPolygon(new double[] {cx - 0.15 * h, cx + 0.15 * h, cx + 0.12 * h, cx - 0.12 * h},
                new double[] {shoulders, shoulders, legTop + 0.02 * h, legTop + 0.02 * h}, label, shirt);
        int skin = p.skin();
        c.fillRect(cx - 0.15 * h - armW * 0.5, by - 0.5 * h, cx - 0.15 * h + armW * 0.5, by - 0.45 * h, label, (x, y) -> skin);
        c.fillRect(cx + 0.15 * h - armW * 0.5, by - 0.5 * h, cx + 0.15 * h + armW * 0.5, by - 0.45 * h, label, (x, y) -> skin);
        double headY = by - 0.905 * h;
        double rx = Math.max(0.6, 0.062 * h);
        double ry = Math.max(0.6, 0.08 * h);
        int hair = p.hair();
        c.fillRect(cx - 0.03 * h, shoulders - 0.04 * h, cx + 0.03 * h, shoulders + 0.01 * h, label, (x, y) -> skin);
        c.fillEllipse(cx, headY, rx, ry, label, (x, y) -> y + 0.5 < headY - 0.25 * ry ? hair : skin);
        if (p.bag()) {
            int bag = p.bagColour();
            c.fillRect(cx + 0.15 * h, by - 0.56 * h, cx + 0.25 * h, by - 0.42 * h, label, shaded(bag, seed + 2, 0.1));
        }
    }

    // ---------------------------------------------------------------- vegetation and street furniture

    record TreeLook(double trunkH, double trunkW, double canopyR, double[] blobs, int leaf, int bark, long seed) {}

    static TreeLook sampleTree(SceneRandom r, double scale) {
        int n = r.rangeInt(5, 9);
        double[] blobs = new double[3 * n];
        for (int i = 0; i < n; i++) {
            blobs[3 * i] = r.range(-0.65, 0.65);
            blobs[3 * i + 1] = r.range(-0.55, 0.45);
            blobs[3 * i + 2] = r.range(0.4, 0.7);
        }
        return new TreeLook(r.range(1.8, 3.2) * scale, r.range(0.2, 0.4) * scale, r.range(1.6, 3.2) * scale, blobs,
                Colour.jitter(r.pick(LEAVES), r, 10, 0.12), Colour.jitter(0x4A3A2C, r, 8, 0.15), r.nextLong());
    }

    static void tree(Canvas c, double cx, double by, double s, TreeLook t, int label) {
        long seed = t.seed();
        int bark = t.bark();
        double trunkW = Math.max(1, t.trunkW() * s);
        c.fillRect(cx - trunkW / 2, by - (t.trunkH() + 0.5 * t.canopyR()) * s, cx + trunkW / 2, by, label,
                (x, y) -> Colour.scale(bark, 0.8 + 0.4 * Noise.hash(seed, x, y)));
        double r = t.canopyR() * s;
        double ccx = cx;
        double ccy = by - (t.trunkH() + 0.75 * t.canopyR()) * s;
        double leafScale = Math.max(1.3, 0.3 * s);
        int leaf = t.leaf();
        Canvas.Shader leaves = (x, y) -> {
            double n = Noise.fbm(seed + 5, (x - ccx) / leafScale, (y - ccy) / leafScale, 2);
            double light = 0.5 + 0.9 * n + 0.25 * (ccy - y) / Math.max(1, r);
            if (Noise.hash(seed + 6, x, y) < 0.12) {
                light *= 0.55; // gaps and shade between leaves
            }
            return Colour.scale(leaf, light);
        };
        double[] b = t.blobs();
        for (int i = 0; i < b.length; i += 3) {
            c.fillEllipse(ccx + b[i] * r, ccy + b[i + 1] * r, b[i + 2] * r, b[i + 2] * r * 0.9, label, leaves);
        }
    }

    static void lampPost(Canvas c, double x, double by, double s, double heightM, int towardRoad, int colour,
                         int label, long seed) {
        double pw = Math.max(1, 0.16 * s);
        double top = by - heightM * s;
        Canvas.Shader metal = shaded(colour, seed, 0.15);
        c.fillRect(x - pw / 2, top, x + pw / 2, by, label, metal);
        double th = Math.max(1, 0.1 * s);
        double reach = 1.5 * s;
        double a = x;
        double b = x + towardRoad * reach;
        c.fillRect(Math.min(a, b), top, Math.max(a, b), top + th, label, metal);
        double head = b - towardRoad * 0.25 * s;
        c.fillRect(head - 0.3 * s, top + th, head + 0.3 * s, top + th + Math.max(1, 0.14 * s), label,
                (px, py) -> 0xD8D8C8);
    }

    /** Road signs; the two zone signs are the vehicle cue and appear nowhere else. */
    enum SignType { TRIANGLE, CIRCLE, OCTAGON, PANEL, CAR_ZONE, TRUCK_ZONE }

    static void signPost(Canvas c, double x, double by, double s, double plateY, double size, SignType type,
                         int poleLabel, int signLabel, long seed) {
        post(c, x, by, s, plateY, poleLabel, seed);
        plate(c, x, plateY, size, type, signLabel, seed);
    }

    /** A sign plate of the given size (pixels) centred at (x, y). */
    static void plate(Canvas c, double x, double y, double size, SignType type, int label, long seed) {
        double p = size;
        Canvas.Shader red = shaded(0xC41E24, seed, 0.08);
        Canvas.Shader white = shaded(0xEDEDE8, seed + 1, 0.05);
        Canvas.Shader dark = shaded(0x1E1E1E, seed + 2, 0.1);
        switch (type) {
            case TRIANGLE -> {
                c.fillPolygon(new double[] {x, x + 0.55 * p, x - 0.55 * p},
                        new double[] {y - 0.5 * p, y + 0.45 * p, y + 0.45 * p}, label, red);
                c.fillPolygon(new double[] {x, x + 0.32 * p, x - 0.32 * p},
                        new double[] {y - 0.16 * p, y + 0.3 * p, y + 0.3 * p}, label, white);
                c.fillRect(x - 0.05 * p, y, x + 0.05 * p, y + 0.22 * p, label, dark);
            }
            case CIRCLE -> {
                c.fillEllipse(x, y, 0.5 * p, 0.5 * p, label, red);
                c.fillEllipse(x, y, 0.36 * p, 0.36 * p, label, white);
                c.fillRect(x - 0.2 * p, y - 0.12 * p, x - 0.03 * p, y + 0.12 * p, label, dark);
                c.fillRect(x + 0.03 * p, y - 0.12 * p, x + 0.2 * p, y + 0.12 * p, label, dark);
            }
            case OCTAGON -> {
                double[] xs = new double[8];
                double[] ys = new double[8];
                for (int i = 0; i < 8; i++) {
                    double a = (i + 0.5) * Math.PI / 4;
                    xs[i] = x + 0.5 * p * StrictMath.cos(a);
                    ys[i] = y + 0.5 * p * StrictMath.sin(a);
                }
                c.fillPolygon(xs, ys, label, red);
                c.fillRect(x - 0.32 * p, y - 0.08 * p, x + 0.32 * p, y + 0.08 * p, label, white);
            }
            case PANEL -> {
                c.fillRect(x - 0.5 * p, y - 0.35 * p, x + 0.5 * p, y + 0.35 * p, label, dark);
                c.fillRect(x - 0.42 * p, y - 0.27 * p, x + 0.42 * p, y + 0.27 * p, label, white);
                c.fillRect(x - 0.25 * p, y - 0.06 * p, x + 0.25 * p, y + 0.06 * p, label, dark);
            }
            case CAR_ZONE -> {
                c.fillEllipse(x, y, 0.5 * p, 0.5 * p, label, white);
                c.fillEllipse(x, y, 0.43 * p, 0.43 * p, label, shaded(0x2050C8, seed, 0.06));
                c.fillRect(x - 0.27 * p, y - 0.02 * p, x + 0.27 * p, y + 0.13 * p, label, white);
                c.fillRect(x - 0.15 * p, y - 0.15 * p, x + 0.13 * p, y - 0.02 * p, label, white);
            }
            case TRUCK_ZONE -> {
                c.fillPolygon(new double[] {x, x + 0.5 * p, x, x - 0.5 * p},
                        new double[] {y - 0.5 * p, y, y + 0.5 * p, y}, label, dark);
                c.fillPolygon(new double[] {x, x + 0.42 * p, x, x - 0.42 * p},
                        new double[] {y - 0.42 * p, y, y + 0.42 * p, y}, label, shaded(0xF2BE14, seed, 0.06));
                c.fillRect(x - 0.2 * p, y - 0.14 * p, x + 0.07 * p, y + 0.1 * p, label, dark);
                c.fillRect(x + 0.07 * p, y - 0.04 * p, x + 0.2 * p, y + 0.1 * p, label, dark);
            }
            default -> throw new IllegalStateException(type.toString());
        }
    }

    /** A sign's post from the ground (by) up to its plate's centre (plateY). */
    static void post(Canvas c, double x, double by, double s, double plateY, int label, long seed) {
        double pw = Math.max(1, 0.08 * s);
        c.fillRect(x - pw / 2, plateY, x + pw / 2, by, label, shaded(0x7A7E82, seed, 0.15));
    }

    // ---------------------------------------------------------------- parts and shading

    /** The red of rear lights. */
    static final int TAIL_LIGHT = 0xB8221E;

    /** Black rubber with grain. */
    static Canvas.Shader tyre(long seed) {
        return (x, y) -> Colour.scale(0x1C1C1E, 0.85 + 0.3 * Noise.hash(seed + 1, x, y));
    }

    /**
     * A pair of parts mirrored about a vehicle's centre (wheels, lights): from {@code from} to {@code to}
     * pixels in from the left side, and the same in from the right.
     */
    static void mirrored(Canvas c, double left, double right, double from, double to, double y0, double y1, int label,
                         Canvas.Shader shader) {
        c.fillRect(left + from, y0, left + to, y1, label, shader);
        c.fillRect(right - to, y0, right - from, y1, label, shader);
    }

    /**
     * An object's shadow on the ground: darkens the road, terrain and pavement inside the ground
     * rectangle from (x0, z0) to (x1, z1) by {@code factor}.
     */
    static void groundShadow(Canvas c, StreetCamera cam, double x0, double x1, double z0, double z1, double factor) {
        int road = SyntheticClass.ROAD.labelId();
        int terrain = SyntheticClass.TERRAIN.labelId();
        int sidewalk = SyntheticClass.SIDEWALK.labelId();
        double[] xs = {cam.x(x0, z0), cam.x(x1, z0), cam.x(x1, z1), cam.x(x0, z1)};
        double[] ys = {cam.y(0, z0), cam.y(0, z0), cam.y(0, z1), cam.y(0, z1)};
        c.darkenPolygon(xs, ys, factor, label -> label == road || label == terrain || label == sidewalk);
    }

    /** A flat colour with per-pixel grain of +-amount/2 (a brightness fraction). */
    static Canvas.Shader shaded(int colour, long seed, double amount) {
        return (x, y) -> Colour.scale(colour, 1 + amount * (Noise.hash(seed, x, y) - 0.5));
    }
}
