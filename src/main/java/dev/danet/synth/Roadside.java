package dev.danet.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * What lines the demo street on each side: a row of buildings with gaps (some closed by a wall or a
 * fence), or a park of trees behind a hedge, fence or wall.
 */
final class Roadside {

    private final StreetLayout street;
    private final StreetCamera cam;
    private final List<List<Building>> buildings = List.of(new ArrayList<>(), new ArrayList<>());
    private final List<List<Boundary>> boundaries = List.of(new ArrayList<>(), new ArrayList<>());
    private final FarToNear parkTrees = new FarToNear();

    /** Samples the left side, then the right. */
    Roadside(SceneRandom rng, StreetLayout street, Canvas canvas) {
        this.street = street;
        this.cam = street.cam;
        for (int side = 0; side < 2; side++) {
            if (street.park[side]) {
                samplePark(rng, side, canvas);
            } else {
                sampleBuildings(rng, side);
            }
        }
    }

    /** The height of the building at depth z on a side, 0 in a gap. */
    double buildingHeightAt(int side, double z) {
        for (Building b : buildings.get(side)) {
            if (z >= b.z0() && z < b.z1()) {
                return b.heightM();
            }
        }
        return 0;
    }

    /** Paints the park trees, then per side the buildings far to near, then the boundaries. */
    void draw(Canvas canvas, Sunlight sun) {
        parkTrees.draw();
        for (int side = 0; side < 2; side++) {
            List<Building> row = buildings.get(side);
            for (int i = row.size() - 1; i >= 0; i--) {
                drawFrontWall(canvas, side, row.get(i), sun.facadeLight(side));
                drawFacade(canvas, side, row.get(i), sun.facadeLight(side));
            }
            for (Boundary b : boundaries.get(side)) {
                b.draw(canvas, cam, StreetLayout.sign(side), street.facadeX[side], sun.facadeLight(side));
            }
        }
    }

    private void samplePark(SceneRandom rng, int side, Canvas canvas) {
        int kind = rng.weighted(0.45, 0.3, 0.25);
        Boundary.Kind bk = Boundary.Kind.values()[2 - kind];
        boundaries.get(side).add(Boundary.sample(rng, bk, 0.3, 400));
        int trees = rng.rangeInt(10, 24);
        for (int i = 0; i < trees; i++) {
            double wx = StreetLayout.sign(side) * (street.facadeX[side] + rng.range(1.0, 25.0));
            double z = rng.logUniform(Math.max(3, street.nearestZ * 0.8), 140);
            Sprites.TreeLook look = Sprites.sampleTree(rng, rng.range(1.0, 1.6));
            parkTrees.add(z, () -> Sprites.tree(canvas, cam.x(wx, z), cam.y(0, z), cam.scale(z), look,
                    SyntheticClass.VEGETATION.labelId()));
        }
    }

    private void sampleBuildings(SceneRandom rng, int side) {
        double z = 0.3;
        double end = rng.range(60, 220);
        while (z < end) {
            if (z > 8 && rng.chance(0.15)) {
                double gap = rng.range(4, 12);
                if (rng.chance(0.5)) {
                    Boundary.Kind kind = rng.chance(0.5) ? Boundary.Kind.WALL : Boundary.Kind.FENCE;
                    boundaries.get(side).add(Boundary.sample(rng, kind, z, z + gap));
                }
                z += gap;
                continue;
            }
            double len = rng.range(8, 30);
            buildings.get(side).add(Building.sample(rng, z, z + len));
            z += len;
        }
    }

    /** The facade along the street, on the building line. */
    private void drawFacade(Canvas canvas, int side, Building b, double light) {
        double planeX = StreetLayout.sign(side) * street.facadeX[side];
        double xa = cam.x(planeX, b.z0());
        double xb = cam.x(planeX, b.z1());
        int from = Math.max(0, (int) Math.ceil(Math.min(xa, xb) - 0.5));
        int to = Math.min(canvas.width, (int) Math.ceil(Math.max(xa, xb) - 0.5));
        int label = SyntheticClass.BUILDING.labelId();
        for (int x = from; x < to; x++) {
            double z = cam.planeZ(planeX, x + 0.5);
            if (!(z >= b.z0() && z < b.z1())) {
                continue;
            }
            double footU = cam.planeColumnDepth(street.facadeX[side], z);
            double footV = cam.metresPerPixel(z);
            int y0 = Math.max(0, Canvas.firstRow(cam.y(b.heightM(), z)));
            int y1 = Math.min(canvas.height, Canvas.firstRow(cam.y(0, z)));
            for (int y = y0; y < y1; y++) {
                double v = cam.worldY(y + 0.5, z);
                canvas.put(x, y, label, b.colour(z - b.z0(), v, footU, footV, x, y, light));
            }
        }
    }

    /** The wall facing the camera at the near end of a building (seen after a gap or above a lower neighbour). */
    private void drawFrontWall(Canvas canvas, int side, Building b, double sideLight) {
        if (b.z0() < 1) {
            return;
        }
        double sgn = StreetLayout.sign(side);
        double xa = cam.x(sgn * street.facadeX[side], b.z0());
        double xb = cam.x(sgn * (street.facadeX[side] + b.depthM()), b.z0());
        double footU = cam.metresPerPixel(b.z0());
        double light = sideLight * 0.82;
        canvas.fillRect(Math.min(xa, xb), cam.y(b.heightM(), b.z0()), Math.max(xa, xb), cam.y(0, b.z0()),
                SyntheticClass.BUILDING.labelId(), (x, y) -> {
                    double u = Math.abs(cam.worldX(x + 0.5, b.z0())) - street.facadeX[side];
                    double v = cam.worldY(y + 0.5, b.z0());
                    return b.colour(u, v, footU, footU, x, y, light);
                });
    }
}
