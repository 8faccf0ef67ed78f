package dev.danet.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * What stands in the demo street, placed on the ground and drawn far to near with their shadows:
 * a bus (sometimes), the ambiguous vehicles, pedestrians, and the street furniture (trees, lamps,
 * ordinary road signs). Objects keep their footprints apart, and no ambiguous vehicle is more than
 * 40% hidden behind nearer objects.
 */
final class SceneTraffic {

    /** A placed object's screen box; the ambiguous vehicles' must stay visible. */
    private record Obstacle(ScreenBox box, boolean vehicle) {}

    private final SceneRandom rng;
    private final StreetLayout street;
    private final StreetCamera cam;
    private final Canvas canvas;
    private final FarToNear sprites = new FarToNear();
    private final List<Footprint> occupied = new ArrayList<>();
    private final List<Obstacle> obstacles = new ArrayList<>();

    SceneTraffic(SceneRandom rng, StreetLayout street, Canvas canvas) {
        this.rng = rng;
        this.street = street;
        this.cam = street.cam;
        this.canvas = canvas;
    }

    /** Draws everything placed, far to near. */
    void draw() {
        sprites.draw();
    }

    /** A bus in a lane, in a third of the images. */
    void sampleBus() {
        if (!rng.chance(0.35)) {
            return;
        }
        Sprites.BusLook look = Sprites.sampleBus(rng);
        double wx = street.laneCentres[rng.nextInt(street.laneCentres.length)] + rng.range(-0.3, 0.3);
        double z = rng.logUniform(Math.max(7, street.nearestZ * 1.3), 60);
        double w = Sprites.busWidth();
        occupied.add(new Footprint(wx - w / 2, wx + w / 2, z, z + Sprites.busLength()));
        obstacles.add(new Obstacle(ScreenBox.upright(cam, wx, w / 2, look.heightM(), z), false));
        int label = SyntheticClass.BUS.labelId();
        sprites.add(z, () -> {
            Sprites.groundShadow(canvas, cam, wx - w / 2 - 0.1, wx + w / 2 + 0.1, z - 0.3, z + Sprites.busLength(), 0.55);
            Sprites.bus(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), look, label);
        });
    }

    /**
     * The ambiguous vehicles, one look for both classes, labelled {@code vehicleClass}; they keep at least
     * {@link ScenePainter#MIN_CUE_GAP} of the width away from the zone sign. Returns how many were placed.
     */
    int sampleVehicles(SyntheticClass vehicleClass, ZoneSign zoneSign) {
        int wanted = 1 + rng.weighted(0.2, 0.3, 0.25, 0.15, 0.1);
        int placed = 0;
        double zNear = Math.max(4.0, street.nearestZ * 1.1);
        double minGap = ScenePainter.MIN_CUE_GAP * street.width;
        int label = vehicleClass.labelId();
        for (int attempt = 0; placed < wanted && (attempt < 80 || (placed == 0 && attempt < 2000)); attempt++) {
            Sprites.VehicleLook look = Sprites.sampleVehicle(rng);
            boolean parked = rng.chance(0.25);
            double wx = parked ? (rng.chance(0.5) ? -street.roadEdge[0] + 1.15 : street.roadEdge[1] - 1.15)
                    : street.laneCentres[rng.nextInt(street.laneCentres.length)] + rng.range(-0.3, 0.3);
            double z = rng.logUniform(zNear, 70);
            double w = look.widthM();
            Footprint fp = new Footprint(wx - w / 2, wx + w / 2, z, z + look.lengthM());
            if (!fp.clearOf(occupied, 0.3)) {
                continue;
            }
            double s = cam.scale(z);
            ScreenBox box = ScreenBox.upright(cam, wx, w / 2, look.heightM(), z);
            if (box.visibleWidth(street.width) < 0.6 * (box.x1() - box.x0()) || look.heightM() * s < 4
                    || zoneSign.gapTo(box) < minGap) {
                continue;
            }
            Obstacle vehicle = new Obstacle(box, true);
            if (!keepsVehiclesVisible(vehicle)) {
                continue;
            }
            obstacles.add(vehicle);
            occupied.add(fp);
            placed++;
            boolean front = look.front() && (wx < 0 || parked); // oncoming, or parked facing the camera
            Sprites.VehicleLook drawn = front == look.front() ? look
                    : new Sprites.VehicleLook(look.widthM(), look.heightM(), look.lengthM(), look.belt(), look.roofInset(),
                            look.paint(), front, look.seed());
            sprites.add(z, () -> {
                Sprites.groundShadow(canvas, cam, wx - w / 2 - 0.1, wx + w / 2 + 0.1, z - 0.25, z + drawn.lengthM(), 0.55);
                Sprites.vehicle(canvas, cam.x(wx, z), cam.y(0, z), s, drawn, label);
            });
        }
        return placed;
    }

    /** Pedestrians on the pavements, a few crossing the street. */
    void samplePeople() {
        int n = rng.weighted(0.1, 0.15, 0.2, 0.2, 0.15, 0.1, 0.05, 0.05);
        int label = SyntheticClass.PERSON.labelId();
        for (int i = 0, tries = 0; i < n && tries < 40; tries++) {
            Sprites.PersonLook look = Sprites.samplePerson(rng);
            boolean crossing = rng.chance(0.12);
            int side = rng.nextInt(2);
            double wx = crossing ? rng.range(-street.roadEdge[0] + 0.5, street.roadEdge[1] - 0.5)
                    : StreetLayout.sign(side) * (street.roadEdge[side] + rng.range(0.5, street.sidewalkW[side] - 0.3));
            double z = rng.logUniform(Math.max(3, street.nearestZ * 0.95), 45);
            Footprint fp = new Footprint(wx - 0.3, wx + 0.3, z - 0.3, z + 0.3);
            Obstacle person = new Obstacle(ScreenBox.upright(cam, wx, 0.3, look.heightM(), z), false);
            if (!fp.clearOf(occupied, 0.2) || !keepsVehiclesVisible(person)) {
                continue;
            }
            obstacles.add(person);
            occupied.add(fp);
            i++;
            sprites.add(z, () -> {
                Sprites.groundShadow(canvas, cam, wx - 0.35, wx + 0.35, z - 0.3, z + 0.4, 0.7);
                Sprites.person(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), look, label);
            });
        }
    }

    /** Per side trees on the verge or along the kerb and street lamps; then a few ordinary road signs. */
    void sampleFurniture() {
        int vegetation = SyntheticClass.VEGETATION.labelId();
        for (int side = 0; side < 2; side++) {
            boolean verge = street.vergeW[side] > 0 && rng.chance(0.7);
            boolean kerb = !verge && rng.chance(0.4);
            double spacing = rng.range(6, 14);
            double z = rng.range(Math.max(2, street.nearestZ * 0.7), 12);
            double treeX = verge ? street.facadeX[side] - street.vergeW[side] / 2 : street.roadEdge[side] + 0.9;
            double scale = rng.range(0.8, 1.3);
            while ((verge || kerb) && z < 90) {
                Sprites.TreeLook look = Sprites.sampleTree(rng, scale * rng.range(0.85, 1.15));
                double zz = z;
                double wx = StreetLayout.sign(side) * treeX;
                if (new Footprint(wx - 0.4, wx + 0.4, zz - 0.4, zz + 0.4).clearOf(occupied, 0)) {
                    sprites.add(zz, () -> Sprites.tree(canvas, cam.x(wx, zz), cam.y(0, zz), cam.scale(zz), look, vegetation));
                }
                z += spacing * rng.range(0.8, 1.2);
            }
            if (rng.chance(0.7)) {
                LampRow lamps = LampRow.sample(rng, side);
                double wx = lamps.worldX(street);
                for (double lz : lamps.depths()) {
                    sprites.add(lz, () -> lamps.draw(canvas, cam, wx, lz));
                }
            }
        }
        int signs = rng.rangeInt(0, 3);
        for (int i = 0; i < signs; i++) {
            RoadSign sign = RoadSign.sample(rng, street);
            sprites.add(sign.z(), () -> sign.draw(canvas, cam));
        }
    }

    /**
     * Whether an object may join the scene without hiding more than 40% of an ambiguous vehicle (the new
     * one included) behind nearer objects.
     */
    private boolean keepsVehiclesVisible(Obstacle candidate) {
        List<Obstacle> all = new ArrayList<>(obstacles);
        all.add(candidate);
        List<ScreenBox> boxes = all.stream().map(Obstacle::box).toList();
        for (Obstacle o : all) {
            if (!o.vehicle() || (o != candidate && o.box().overlap(candidate.box()) == 0)) {
                continue;
            }
            if (o.box().hiddenBy(boxes) > 0.4 * o.box().area()) {
                return false;
            }
        }
        return true;
    }
}
