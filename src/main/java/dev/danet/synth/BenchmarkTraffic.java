package dev.danet.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * What stands in a street benchmark's street, drawn far to near: one to four vehicles of one paint
 * (the fleet: look-alike vehicles, or box trucks in half the control's pairs), a bus away from them,
 * pedestrians, trees, lamps and ordinary signs. The vehicles keep their distances from the cues
 * ({@link StreetBenchmarkPainter#SKY_GAP}, {@link StreetBenchmarkPainter#SIGN_GAP},
 * {@link StreetBenchmarkPainter#BUS_GAP}); nothing nearer covers a vehicle, the bus or the cue sign.
 */
final class BenchmarkTraffic {

    private final SceneRandom rng;
    private final StreetLayout street;
    private final StreetCamera cam;
    private final Canvas canvas;
    private final int signSide;
    private final ScreenBox signBox;
    private final int skyLowestRow;
    private final FarToNear sprites = new FarToNear();
    private final List<Footprint> occupied = new ArrayList<>();
    /** The bus and the vehicles: nothing nearer may cover them. */
    private final List<ScreenBox> kept = new ArrayList<>();
    private final List<ScreenBox> vehicleBoxes = new ArrayList<>();
    private final List<BenchmarkObject> objects = new ArrayList<>();
    private ScreenBox busBox;

    /**
     * A street whose cue sign stands on {@code signSide} (0 left, 1 right) and covers {@code signBox}, and
     * whose sky reaches down to {@code skyLowestRow}.
     */
    BenchmarkTraffic(SceneRandom rng, StreetLayout street, Canvas canvas, int signSide, ScreenBox signBox,
                     int skyLowestRow) {
        this.rng = rng;
        this.street = street;
        this.cam = street.cam;
        this.canvas = canvas;
        this.signSide = signSide;
        this.signBox = signBox;
        this.skyLowestRow = skyLowestRow;
    }

    /** The bus's screen box; null when no layout had room for it. */
    ScreenBox bus() {
        return busBox;
    }

    /** The vehicles and the bus, as the manifest records them. */
    List<BenchmarkObject> objects() {
        return objects;
    }

    /** Draws everything placed, far to near. */
    void draw() {
        sprites.draw();
    }

    /**
     * The vehicles, then the bus away from them; if either finds no room, both try again elsewhere (after
     * 20 tries with one vehicle only, after 50 with the bus allowed to stand more than half outside the frame).
     */
    void sampleBusAndVehicles(int busPaint, int fleetPaint, StreetCues cues, ContextBenchmark benchmark) {
        for (int layout = 0; ; layout++) {
            int marks = sprites.size();
            List<BenchmarkObject> vehicles = placeVehicles(fleetPaint, cues, benchmark, layout < 20);
            ScreenBox bus = placeBus(busPaint, layout >= 50);
            if ((bus != null && !vehicles.isEmpty()) || layout >= StreetBenchmarkPainter.MAX_LAYOUTS) {
                objects.addAll(vehicles);
                if (bus != null) {
                    busBox = bus;
                    objects.add(new BenchmarkObject(BenchmarkObject.Kind.BUS, SyntheticClass.BUS, false,
                            bus.pixels(street.width, street.height, 0), (int) Math.round(bus.y1() - bus.y0()),
                            BenchmarkSprites.PAINTS[busPaint], 0));
                }
                return;
            }
            sprites.truncate(marks);
            occupied.clear();
            kept.clear();
        }
    }

    /**
     * The bus, in the frame, away from the sign and {@link StreetBenchmarkPainter#BUS_GAP} from every vehicle;
     * null if none fits.
     */
    private ScreenBox placeBus(int paint, boolean anywhere) {
        double heightM = rng.range(3.0, 3.4);
        long seed = rng.nextLong();
        Sprites.BusLook look = new Sprites.BusLook(heightM, BenchmarkSprites.PAINTS[paint], 0x202020, seed);
        double w = Sprites.busWidth();
        int width = street.width;
        for (int attempt = 0; attempt < 300; attempt++) {
            boolean parked = rng.chance(0.3);
            int side = rng.chance(0.7) ? signSide : 1 - signSide; // mostly on the sign's side, where there is room
            double wx = parked ? StreetLayout.sign(side) * (street.roadEdge[side] - 1.4) : lane(side) + rng.range(-0.3, 0.3);
            double z = rng.logUniform(Math.max(9, street.nearestZ * 1.15), 60);
            ScreenBox box = ScreenBox.upright(cam, wx, w / 2, heightM, z);
            Footprint fp = new Footprint(wx - w / 2, wx + w / 2, z, z + Sprites.busLength());
            boolean far = vehicleBoxes.stream().allMatch(v -> v.gapX(box) >= StreetBenchmarkPainter.BUS_GAP * width);
            boolean fits = far && box.visibleWidth(width) >= (anywhere ? 0.4 : 0.7) * (box.x1() - box.x0())
                    && box.y1() - box.y0() >= 10 && fp.clearOf(occupied, 0.3) && box.gapX(signBox) >= 0.04 * width;
            if (!fits && !(anywhere && far)) {
                continue;
            }
            occupied.add(fp);
            kept.add(box);
            sprites.add(z, () -> {
                Sprites.groundShadow(canvas, cam, wx - w / 2 - 0.1, wx + w / 2 + 0.1, z - 0.3, z + Sprites.busLength(), 0.55);
                Sprites.bus(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), look, SyntheticClass.BUS.labelId());
            });
            return box;
        }
        return null;
    }

    private List<BenchmarkObject> placeVehicles(int paint, StreetCues cues, ContextBenchmark benchmark, boolean several) {
        int draw = 1 + rng.weighted(0.2, 0.35, 0.3, 0.15);
        int wanted = several ? draw : 1;
        int placed = 0;
        double zNear = Math.max(6.0, street.nearestZ * 1.05);
        int label = cues.vehicleClass().labelId();
        boolean decided = benchmark != ContextBenchmark.CONTROL;
        int width = street.width;
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
            double wx = parked ? StreetLayout.sign(side) * (street.roadEdge[side] - 1.2)
                    : street.laneCentres[rng.nextInt(street.laneCentres.length)] + rng.range(-0.3, 0.3);
            double z = rng.logUniform(zNear, 40);
            ScreenBox box = ScreenBox.upright(cam, wx, w / 2, h, z);
            Footprint fp = new Footprint(wx - w / 2, wx + w / 2, z, z + length);
            if (box.visibleWidth(width) < 0.6 * (box.x1() - box.x0()) || box.y1() - box.y0() < 6
                    || !fp.clearOf(occupied, 0.3)
                    || Canvas.firstRow(box.y0()) - skyLowestRow < StreetBenchmarkPainter.SKY_GAP * street.height
                    || box.gapX(signBox) < StreetBenchmarkPainter.SIGN_GAP * width || hidesOrIsHidden(box)) {
                continue;
            }
            occupied.add(fp);
            kept.add(box);
            vehicleBoxes.add(box);
            placed++;
            found.add(new BenchmarkObject(boxTruck ? BenchmarkObject.Kind.BOX_TRUCK : BenchmarkObject.Kind.LOOK_ALIKE_VEHICLE,
                    cues.vehicleClass(), decided, box.pixels(width, street.height, 0), (int) Math.round(box.y1() - box.y0()),
                    boxTruck ? truck.cargo() : look.paint(), 0));
            sprites.add(z, () -> {
                Sprites.groundShadow(canvas, cam, wx - w / 2 - 0.1, wx + w / 2 + 0.1, z - 0.25, z + length, 0.55);
                if (boxTruck) {
                    BenchmarkSprites.boxTruck(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), truck, label);
                } else {
                    Sprites.vehicle(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), look, label);
                }
            });
        }
        return found;
    }

    /** Whether a vehicle box would hide more than 40% of another vehicle, or be hidden that much itself. */
    private boolean hidesOrIsHidden(ScreenBox candidate) {
        List<ScreenBox> all = new ArrayList<>(vehicleBoxes);
        all.add(candidate);
        for (ScreenBox b : all) {
            if (b.hiddenBy(all) > 0.4 * b.area()) {
                return true;
            }
        }
        return false;
    }

    /** Pedestrians on the pavements. */
    void samplePeople() {
        int n = rng.weighted(0.15, 0.2, 0.25, 0.2, 0.1, 0.1);
        int label = SyntheticClass.PERSON.labelId();
        for (int i = 0, tries = 0; i < n && tries < 40; tries++) {
            Sprites.PersonLook look = Sprites.samplePerson(rng);
            int side = rng.nextInt(2);
            double wx = StreetLayout.sign(side) * (street.roadEdge[side] + rng.range(0.5, street.sidewalkW[side] - 0.3));
            double z = rng.logUniform(Math.max(4, street.nearestZ * 0.95), 45);
            ScreenBox box = ScreenBox.upright(cam, wx, 0.3, look.heightM(), z);
            Footprint fp = new Footprint(wx - 0.3, wx + 0.3, z - 0.3, z + 0.3);
            if (!fp.clearOf(occupied, 0.3) || covers(box)) {
                continue;
            }
            occupied.add(fp);
            i++;
            sprites.add(z, () -> Sprites.person(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), look, label));
        }
    }

    /** Per side trees along the kerb or the verge and street lamps; then a few ordinary road signs. */
    void sampleFurniture() {
        int vegetation = SyntheticClass.VEGETATION.labelId();
        for (int side = 0; side < 2; side++) {
            double sgn = StreetLayout.sign(side);
            if (rng.chance(0.6)) { // trees along the kerb or the verge
                double treeX = street.facadeX[side] > street.roadEdge[side] + street.sidewalkW[side] + 0.5
                        ? (street.roadEdge[side] + street.sidewalkW[side] + street.facadeX[side]) / 2
                        : street.roadEdge[side] + 0.9;
                double spacing = rng.range(6, 14);
                double scale = rng.range(0.8, 1.3);
                for (double z = rng.range(Math.max(3, street.nearestZ * 0.7), 12); z < 90; z += spacing * rng.range(0.8, 1.2)) {
                    Sprites.TreeLook look = Sprites.sampleTree(rng, scale * rng.range(0.85, 1.15));
                    double zz = z;
                    double wx = sgn * treeX;
                    double s = cam.scale(zz);
                    double reach = 1.5 * look.canopyR() * s;
                    ScreenBox box = new ScreenBox(cam.x(wx, zz) - reach, cam.y(look.trunkH() + 1.6 * look.canopyR(), zz),
                            cam.x(wx, zz) + reach, cam.y(0, zz), zz);
                    if (!covers(box)) {
                        sprites.add(zz, () -> Sprites.tree(canvas, cam.x(wx, zz), cam.y(0, zz), cam.scale(zz), look, vegetation));
                    }
                }
            }
            if (rng.chance(0.6)) {
                LampRow lamps = LampRow.sample(rng, side);
                double wx = lamps.worldX(street);
                for (double z : lamps.depths()) {
                    if (!covers(lamps.box(cam, wx, z))) {
                        sprites.add(z, () -> lamps.draw(canvas, cam, wx, z));
                    }
                }
            }
        }
        int signs = rng.rangeInt(0, 2);
        for (int i = 0; i < signs; i++) {
            RoadSign sign = RoadSign.sample(rng, street);
            if (!covers(sign.box(cam))) {
                sprites.add(sign.z(), () -> sign.draw(canvas, cam));
            }
        }
    }

    /** Whether a sprite nearer than a kept object (bus, vehicle) would cover part of it, or overlap the sign. */
    private boolean covers(ScreenBox b) {
        for (ScreenBox k : kept) {
            if (b.z() < k.z() + 1 && b.overlap(k) > 0) {
                return true;
            }
        }
        return b.overlap(signBox) > 0;
    }

    /** The centre of a random lane on one side of the street (a middle lane counts for both). */
    private double lane(int side) {
        List<Double> lanes = new ArrayList<>();
        for (double c : street.laneCentres) {
            if (side == 0 ? c < 0.5 : c > -0.5) {
                lanes.add(c);
            }
        }
        return lanes.get(rng.nextInt(lanes.size()));
    }
}
