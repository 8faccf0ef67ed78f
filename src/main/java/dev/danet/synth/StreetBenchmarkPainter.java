package dev.danet.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Paints one image of the four street benchmarks (weather, sign, pairing, control): a raised
 * camera looking down a street ({@link StreetLayout}) with a weather sky ({@link WeatherSky}) over
 * the scenery ({@link StreetBackdrop}); in it this class places trees, lamps, people, ordinary
 * signs, one bus, one to four vehicles of one paint (the "fleet") and, near one side edge, the
 * cue sign, and says where the cues are.
 *
 * <p>The scene comes from a generator keyed by (seed, split, pair) alone and draws every random
 * number in the same order whatever the cues, so twins, and the same image index in the four
 * benchmarks, are the same street. The cues change colours only: the sky's (weather), the sign
 * plate's (its face) and the bus's paint; and the vehicles' label. The control alone changes the
 * vehicles' look (box trucks), per pair.
 *
 * <p>Distances that make the cues distant: no vehicle pixel comes within {@link #SKY_GAP} of the
 * height of a sky pixel (vertically), within {@link #SIGN_GAP} of the width of the cue sign, or within
 * {@link #BUS_GAP} of the width of the bus (horizontally).
 */
final class StreetBenchmarkPainter {

    /** Least vertical gap between a vehicle and the sky, as a fraction of the height. */
    static final double SKY_GAP = 0.25;
    /** Least horizontal gap between a vehicle and the cue sign, as a fraction of the width. */
    static final double SIGN_GAP = 0.35;
    /** Least horizontal gap between a vehicle and the bus, as a fraction of the width. */
    static final double BUS_GAP = 0.15;

    /**
     * Layouts tried before a scene goes without its bus (never in the default sets; then the pairing
     * benchmark cannot decide its vehicles and labels them void).
     */
    static final int MAX_LAYOUTS = 100;

    private static final long SCENE_SALT = 0x57EE7L;
    private record Placed(double depth, Runnable draw) {}

    /** A screen box at a depth. */
    private record Box(double x0, double y0, double x1, double y1, double z) {
        double overlap(Box o) {
            double w = Math.min(x1, o.x1) - Math.max(x0, o.x0);
            double h = Math.min(y1, o.y1) - Math.max(y0, o.y0);
            return w > 0 && h > 0 ? w * h : 0;
        }

        double area() {
            return (x1 - x0) * (y1 - y0);
        }

        /** Horizontal distance between the boxes (negative when their columns overlap). */
        double gapX(Box o) {
            return Math.max(o.x0 - x1, x0 - o.x1);
        }

        int[] pixels(int width, int height, int grow) {
            return new int[] {Math.max(0, (int) Math.floor(x0) - grow), Math.max(0, (int) Math.floor(y0) - grow),
                Math.min(width, (int) Math.ceil(x1) + grow), Math.min(height, (int) Math.ceil(y1) + grow)};
        }
    }

    private record Footprint(double x0, double x1, double z0, double z1) {
        boolean overlaps(Footprint o, double margin) {
            return x0 < o.x1 + margin && o.x0 < x1 + margin && z0 < o.z1 + margin && o.z0 < z1 + margin;
        }
    }

    private final int width;
    private final int height;
    private final StreetCues cues;
    private final SceneRandom rng;
    private final Canvas canvas;
    private final int signSide;
    private final StreetCamera cam;
    private final double zBottom;
    private final StreetLayout street;
    private final double[] roadEdge;
    private final double[] sidewalkW;
    private final double[] facadeX;
    private final double[] laneCentres;
    private int skyLowestRow;
    private final List<Placed> sprites = new ArrayList<>();
    private final List<Box> kept = new ArrayList<>();
    private final List<Footprint> occupied = new ArrayList<>();
    private final List<Box> vehicleBoxes = new ArrayList<>();
    private final List<BenchmarkObject> objects = new ArrayList<>();
    private Box signBox;
    private Box busBox;

    private StreetBenchmarkPainter(long seed, String split, int pair, int height, int width, StreetCues cues) {
        this.width = width;
        this.height = height;
        this.cues = cues;
        this.rng = SceneRandom.keyed(seed, split.hashCode(), pair, SCENE_SALT);
        this.canvas = new Canvas(width, height);
        signSide = rng.nextInt(2);
        street = new StreetLayout(rng, width, height, signSide);
        cam = street.cam;
        zBottom = cam.groundZ(height);
        roadEdge = street.roadEdge;
        sidewalkW = street.sidewalkW;
        facadeX = street.facadeX;
        laneCentres = street.laneCentres;
    }

    /** Image {@code index} of a street benchmark with its own cues. */
    static BenchmarkScene paint(ContextBenchmark benchmark, long seed, String split, int index, int height, int width) {
        return paint(benchmark, seed, split, index, height, width, StreetCues.of(benchmark, seed, split, index));
    }

    /** The same scene with the given cues (a test swaps them to show what changes). */
    static BenchmarkScene paint(ContextBenchmark benchmark, long seed, String split, int index, int height, int width,
                                StreetCues cues) {
        return new StreetBenchmarkPainter(seed, split, index / 2, height, width, cues).paint(benchmark, index);
    }

    private BenchmarkScene paint(ContextBenchmark benchmark, int index) {
        // everything is sampled, in a fixed order, before anything is drawn
        WeatherSky sky = new WeatherSky(rng);
        StreetBackdrop backdrop = new StreetBackdrop(rng, street, canvas);
        skyLowestRow = backdrop.skyLowestRow();
        Sign sign = new Sign();
        int fleet = rng.nextInt(BenchmarkSprites.PAINTS.length);
        int other = (fleet + 1 + rng.nextInt(BenchmarkSprites.PAINTS.length - 1)) % BenchmarkSprites.PAINTS.length;
        sampleBusAndVehicles(cues.busMatchesFleet() ? fleet : other, fleet, benchmark);
        samplePeople();
        sampleFurniture();
        CameraEffects camera = new CameraEffects(rng, canvas);

        sky.draw(canvas, cam.horizon(), cues.overcast());
        backdrop.draw();
        List<Placed> ordered = new ArrayList<>(sprites);
        ordered.sort(Comparator.comparingDouble(Placed::depth).reversed()); // far first; stable for ties
        ordered.forEach(p -> p.draw().run());
        sign.draw();
        boolean[] cueMask = cueMask(benchmark); // before the camera's void frame can hide sky pixels from it
        camera.drawHood();
        camera.apply();
        if (busBox == null && benchmark == ContextBenchmark.PAIRING) {
            int label = cues.vehicleClass().labelId();
            for (int i = 0; i < canvas.labels.length; i++) {
                if ((canvas.labels[i] & 0xff) == label) {
                    canvas.labels[i] = (byte) SyntheticClass.UNLABELED.labelId(); // nothing to pair with: undecidable
                }
            }
        }
        objects.add(new BenchmarkObject(BenchmarkObject.Kind.CUE_SIGN, SyntheticClass.TRAFFIC_SIGN, false,
                signBox.pixels(width, height, 0), 0, -1, 0));
        return new BenchmarkScene(benchmark, index / 2, index % 2, width, height, canvas.rgb, canvas.labels,
                cueMask, cues.describe(benchmark), cues.vehicleClass(), objects);
    }

    // ------------------------------------------------------------------ the cue regions

    private boolean[] cueMask(ContextBenchmark benchmark) {
        boolean[] mask = new boolean[width * height];
        if (benchmark == ContextBenchmark.WEATHER || benchmark == ContextBenchmark.CONTROL) {
            int sky = SyntheticClass.SKY.labelId();
            boolean[] isSky = new boolean[width * height];
            for (int i = 0; i < isSky.length; i++) {
                isSky[i] = (canvas.labels[i] & 0xff) == sky;
            }
            // grown by a pixel: the camera blur carries the sky's colour one pixel further
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int dy = -1; dy <= 1 && !mask[y * width + x]; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx;
                            int yy = y + dy;
                            if (xx >= 0 && yy >= 0 && xx < width && yy < height && isSky[yy * width + xx]) {
                                mask[y * width + x] = true;
                                break;
                            }
                        }
                    }
                }
            }
        }
        if (benchmark == ContextBenchmark.SIGN || benchmark == ContextBenchmark.CONTROL) {
            mark(mask, signBox.pixels(width, height, 1));
        }
        if ((benchmark == ContextBenchmark.PAIRING || benchmark == ContextBenchmark.CONTROL) && busBox != null) {
            mark(mask, busBox.pixels(width, height, 1));
        }
        return mask;
    }

    private void mark(boolean[] mask, int[] box) {
        for (int y = box[1]; y < box[3]; y++) {
            for (int x = box[0]; x < box[2]; x++) {
                mask[y * width + x] = true;
            }
        }
    }

    // ------------------------------------------------------------------ the cue sign

    /** The sign near one side edge; its face is the sign benchmark's cue. Drawn last, so nothing hides it. */
    private final class Sign {
        final double x;
        final double z;
        final double plateY;
        final double size;
        final double baseY;
        final long seed;

        Sign() {
            x = signSide == 0 ? width * rng.range(0.04, 0.10) : width * (1 - rng.range(0.04, 0.10));
            double wx = sign(signSide) * (roadEdge[signSide] + sidewalkW[signSide] * rng.range(0.5, 0.85));
            z = cam.focal() * wx / (x - cam.vanishX());
            size = Math.max(0.06 * height, Math.min(0.09 * height, cam.scale(z) * 0.7));
            plateY = Math.max(cam.y(rng.range(2.6, 3.2), z), 0.05 * height + size / 2);
            baseY = Math.max(cam.y(0, z), plateY + size);
            seed = rng.nextLong();
            signBox = new Box(x - size / 2 - 1, plateY - size / 2 - 1, x + size / 2 + 1, baseY + 1, z);
        }

        void draw() {
            BenchmarkSprites.cueSign(canvas, x, baseY, cam.scale(z), plateY, size, cues.purpleSign(), seed);
        }
    }

    // ------------------------------------------------------------------ bus and vehicles

    /**
     * The vehicles, then the bus away from them; if either finds no room, both try again elsewhere (after
     * 20 tries with one vehicle only, after 50 with the bus allowed to stand more than half outside the frame).
     */
    private void sampleBusAndVehicles(int busPaint, int fleetPaint, ContextBenchmark benchmark) {
        for (int layout = 0; ; layout++) {
            int marks = sprites.size();
            List<BenchmarkObject> vehicles = placeVehicles(fleetPaint, benchmark, layout < 20);
            Box bus = placeBus(busPaint, layout >= 50);
            if ((bus != null && !vehicles.isEmpty()) || layout >= MAX_LAYOUTS) {
                objects.addAll(vehicles);
                if (bus != null) {
                    busBox = bus;
                    objects.add(new BenchmarkObject(BenchmarkObject.Kind.BUS, SyntheticClass.BUS, false,
                            bus.pixels(width, height, 0), (int) Math.round(bus.y1() - bus.y0()),
                            BenchmarkSprites.PAINTS[busPaint], 0));
                }
                return;
            }
            while (sprites.size() > marks) {
                sprites.remove(sprites.size() - 1);
            }
            occupied.clear();
            kept.clear();
        }
    }

    /** The bus, in the frame, away from the sign and {@link #BUS_GAP} from every vehicle; null if none fits. */
    private Box placeBus(int paint, boolean anywhere) {
        double heightM = rng.range(3.0, 3.4);
        long seed = rng.nextLong();
        Sprites.BusLook look = new Sprites.BusLook(heightM, BenchmarkSprites.PAINTS[paint], 0x202020, seed);
        double w = Sprites.busWidth();
        for (int attempt = 0; attempt < 300; attempt++) {
            boolean parked = rng.chance(0.3);
            int side = rng.chance(0.7) ? signSide : 1 - signSide; // mostly on the sign's side, where there is room
            double wx = parked ? sign(side) * (roadEdge[side] - 1.4) : lane(side) + rng.range(-0.3, 0.3);
            double z = logUniform(Math.max(9, zBottom * 1.15), 60);
            Box box = new Box(cam.x(wx - w / 2, z), cam.y(heightM, z), cam.x(wx + w / 2, z), cam.y(0, z), z);
            Footprint fp = new Footprint(wx - w / 2, wx + w / 2, z, z + Sprites.busLength());
            boolean far = vehicleBoxes.stream().allMatch(v -> v.gapX(box) >= BUS_GAP * width);
            double visible = Math.min(box.x1(), width) - Math.max(box.x0(), 0);
            boolean fits = far && visible >= (anywhere ? 0.4 : 0.7) * (box.x1() - box.x0())
                    && box.y1() - box.y0() >= 10 && free(fp) && box.gapX(signBox) >= 0.04 * width;
            if (!fits && !(anywhere && far)) {
                continue;
            }
            occupied.add(fp);
            kept.add(box);
            sprites.add(new Placed(z, () -> {
                shadow(wx - w / 2 - 0.1, wx + w / 2 + 0.1, z - 0.3, z + Sprites.busLength());
                Sprites.bus(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), look, SyntheticClass.BUS.labelId());
            }));
            return box;
        }
        return null;
    }

    private List<BenchmarkObject> placeVehicles(int paint, ContextBenchmark benchmark, boolean several) {
        int draw = 1 + rng.weighted(0.2, 0.35, 0.3, 0.15);
        int wanted = several ? draw : 1;
        int placed = 0;
        double zNear = Math.max(6.0, zBottom * 1.05);
        int label = cues.vehicleClass().labelId();
        boolean decided = benchmark != ContextBenchmark.CONTROL;
        vehicleBoxes.clear();
        List<BenchmarkObject> found = new ArrayList<>();
        for (int attempt = 0; placed < wanted && (attempt < 200 || (placed == 0 && attempt < 3000)); attempt++) {
            Sprites.VehicleLook sampled = Sprites.sampleVehicle(rng);
            BenchmarkSprites.BoxTruckLook truck = BenchmarkSprites.sampleBoxTruck(rng);
            Sprites.VehicleLook look = new Sprites.VehicleLook(sampled.widthM(), sampled.heightM(), sampled.lengthM(),
                    sampled.belt(), sampled.roofInset(), BenchmarkSprites.PAINTS[paint], sampled.front(), sampled.seed());
            boolean boxTruck = cues.boxTrucks();
            double w = boxTruck ? truck.widthM() : look.widthM();
            double h = boxTruck ? truck.heightM() : look.heightM();
            double length = boxTruck ? truck.lengthM() : look.lengthM();
            boolean parked = rng.chance(0.25);
            int side = rng.nextInt(2);
            double wx = parked ? sign(side) * (roadEdge[side] - 1.2)
                    : laneCentres[rng.nextInt(laneCentres.length)] + rng.range(-0.3, 0.3);
            double z = logUniform(zNear, 40);
            Box box = new Box(cam.x(wx - w / 2, z), cam.y(h, z), cam.x(wx + w / 2, z), cam.y(0, z), z);
            Footprint fp = new Footprint(wx - w / 2, wx + w / 2, z, z + length);
            double visible = Math.min(box.x1(), width) - Math.max(box.x0(), 0);
            if (visible < 0.6 * (box.x1() - box.x0()) || box.y1() - box.y0() < 6 || !free(fp)
                    || Canvas.firstRow(box.y0()) - skyLowestRow < SKY_GAP * height
                    || box.gapX(signBox) < SIGN_GAP * width || hidesOrIsHidden(box)) {
                continue;
            }
            occupied.add(fp);
            kept.add(box);
            vehicleBoxes.add(box);
            placed++;
            found.add(new BenchmarkObject(boxTruck ? BenchmarkObject.Kind.BOX_TRUCK : BenchmarkObject.Kind.LOOK_ALIKE_VEHICLE,
                    cues.vehicleClass(), decided, box.pixels(width, height, 0), (int) Math.round(box.y1() - box.y0()),
                    boxTruck ? truck.cargo() : look.paint(), 0));
            sprites.add(new Placed(z, () -> {
                shadow(wx - w / 2 - 0.1, wx + w / 2 + 0.1, z - 0.25, z + length);
                if (boxTruck) {
                    BenchmarkSprites.boxTruck(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), truck, label);
                } else {
                    Sprites.vehicle(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), look, label);
                }
            }));
        }
        return found;
    }

    /** Whether a vehicle box would hide more than 40% of another vehicle, or be hidden that much itself. */
    private boolean hidesOrIsHidden(Box candidate) {
        List<Box> all = new ArrayList<>(vehicleBoxes);
        all.add(candidate);
        for (Box b : all) {
            double hidden = 0;
            for (Box o : all) {
                if (o != b && o.z() < b.z()) {
                    hidden += o.overlap(b);
                }
            }
            if (hidden > 0.4 * b.area()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a sprite nearer than a kept object (bus, vehicle) would cover part of it, or overlap the sign. */
    private boolean covers(Box b) {
        for (Box k : kept) {
            if (b.z() < k.z() + 1 && b.overlap(k) > 0) {
                return true;
            }
        }
        return b.overlap(signBox) > 0;
    }

    private boolean free(Footprint fp) {
        for (Footprint o : occupied) {
            if (o.overlaps(fp, 0.3)) {
                return false;
            }
        }
        return true;
    }

    private void shadow(double x0, double x1, double z0, double z1) {
        int road = SyntheticClass.ROAD.labelId();
        int terrain = SyntheticClass.TERRAIN.labelId();
        int sidewalk = SyntheticClass.SIDEWALK.labelId();
        double[] xs = {cam.x(x0, z0), cam.x(x1, z0), cam.x(x1, z1), cam.x(x0, z1)};
        double[] ys = {cam.y(0, z0), cam.y(0, z0), cam.y(0, z1), cam.y(0, z1)};
        canvas.darkenPolygon(xs, ys, 0.55, label -> label == road || label == terrain || label == sidewalk);
    }

    // ------------------------------------------------------------------ people and street furniture

    private void samplePeople() {
        int n = rng.weighted(0.15, 0.2, 0.25, 0.2, 0.1, 0.1);
        int label = SyntheticClass.PERSON.labelId();
        for (int i = 0, tries = 0; i < n && tries < 40; tries++) {
            Sprites.PersonLook look = Sprites.samplePerson(rng);
            int side = rng.nextInt(2);
            double wx = sign(side) * (roadEdge[side] + rng.range(0.5, sidewalkW[side] - 0.3));
            double z = logUniform(Math.max(4, zBottom * 0.95), 45);
            Box box = new Box(cam.x(wx - 0.3, z), cam.y(look.heightM(), z), cam.x(wx + 0.3, z), cam.y(0, z), z);
            Footprint fp = new Footprint(wx - 0.3, wx + 0.3, z - 0.3, z + 0.3);
            if (!free(fp) || covers(box)) {
                continue;
            }
            occupied.add(fp);
            i++;
            sprites.add(new Placed(z, () -> Sprites.person(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), look, label)));
        }
    }

    private void sampleFurniture() {
        int vegetation = SyntheticClass.VEGETATION.labelId();
        int pole = SyntheticClass.POLE.labelId();
        int signLabel = SyntheticClass.TRAFFIC_SIGN.labelId();
        for (int side = 0; side < 2; side++) {
            double sgn = sign(side);
            if (rng.chance(0.6)) { // trees along the kerb or the verge
                double treeX = facadeX[side] > roadEdge[side] + sidewalkW[side] + 0.5
                        ? (roadEdge[side] + sidewalkW[side] + facadeX[side]) / 2 : roadEdge[side] + 0.9;
                double spacing = rng.range(6, 14);
                double scale = rng.range(0.8, 1.3);
                for (double z = rng.range(Math.max(3, zBottom * 0.7), 12); z < 90; z += spacing * rng.range(0.8, 1.2)) {
                    Sprites.TreeLook look = Sprites.sampleTree(rng, scale * rng.range(0.85, 1.15));
                    double zz = z;
                    double wx = sgn * treeX;
                    double s = cam.scale(zz);
                    double reach = 1.5 * look.canopyR() * s;
                    Box box = new Box(cam.x(wx, zz) - reach, cam.y(look.trunkH() + 1.6 * look.canopyR(), zz),
                            cam.x(wx, zz) + reach, cam.y(0, zz), zz);
                    if (!covers(box)) {
                        sprites.add(new Placed(zz, () -> Sprites.tree(canvas, cam.x(wx, zz), cam.y(0, zz), cam.scale(zz),
                                look, vegetation)));
                    }
                }
            }
            if (rng.chance(0.6)) { // street lamps at the kerb
                double spacing = rng.range(18, 32);
                double lampHeight = rng.range(6, 8.5);
                int colour = rng.pick(0x3A3E42, 0x2E4A3A, 0x6A6E72);
                long seed = rng.nextLong();
                int toward = side == 0 ? 1 : -1;
                for (double z = rng.range(3, 15); z < 120; z += spacing) {
                    double zz = z;
                    double wx = sgn * (roadEdge[side] + 0.45);
                    double s = cam.scale(zz);
                    Box box = new Box(cam.x(wx, zz) - 1.6 * s, cam.y(lampHeight, zz), cam.x(wx, zz) + 1.6 * s,
                            cam.y(0, zz), zz);
                    if (!covers(box)) {
                        sprites.add(new Placed(zz, () -> Sprites.lampPost(canvas, cam.x(wx, zz), cam.y(0, zz),
                                cam.scale(zz), lampHeight, toward, colour, pole, seed)));
                    }
                }
            }
        }
        int signs = rng.rangeInt(0, 2);
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
            double s = cam.scale(z);
            Box box = new Box(cam.x(wx, z) - sizeM * s, cam.y(plateM + sizeM, z), cam.x(wx, z) + sizeM * s, cam.y(0, z), z);
            if (!covers(box)) {
                sprites.add(new Placed(z, () -> Sprites.signPost(canvas, cam.x(wx, z), cam.y(0, z), s, cam.y(plateM, z),
                        sizeM * s, type, pole, signLabel, seed)));
            }
        }
    }

    /** The centre of a random lane on one side of the street (a middle lane counts for both). */
    private double lane(int side) {
        List<Double> lanes = new ArrayList<>();
        for (double c : laneCentres) {
            if (side == 0 ? c < 0.5 : c > -0.5) {
                lanes.add(c);
            }
        }
        return lanes.get(rng.nextInt(lanes.size()));
    }

    private double logUniform(double lo, double hi) {
        return lo * StrictMath.exp(rng.range(0, StrictMath.log(hi / lo)));
    }

    private static double sign(int side) {
        return StreetLayout.sign(side);
    }
}
