package dev.danet.synth;

/**
 * Paints one scene of the demo set from (seed, split, index): a camera looking down a street
 * ({@link StreetLayout}) with a sky ({@link CloudySky}), a distant {@link Skyline}, the ground
 * ({@link MarkedGround}) lit by the {@link Sunlight}, buildings or a park on each side
 * ({@link Roadside}), what stands in the street ({@link SceneTraffic}) and the {@link ZoneSign};
 * then the camera's effects ({@link CameraEffects}: bonnet, light, blur, noise, void borders).
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

    private ScenePainter() {}

    /** Paints the scene with its balanced cues. */
    static PaintedScene paint(long seed, String split, int index, int height, int width) {
        return paint(seed, split, index, height, width, SceneCues.balanced(seed, split, index));
    }

    /** Paints the scene with the given cues (a test swaps them to show nothing else changes). */
    static PaintedScene paint(long seed, String split, int index, int height, int width, SceneCues cues) {
        SceneRandom rng = SceneRandom.keyed(seed, split.hashCode(), index);
        Canvas canvas = new Canvas(width, height);
        // Everything is sampled, in a fixed order, before anything is drawn.
        int zoneSide = rng.nextInt(2);
        StreetLayout street = new StreetLayout(rng, StreetLayout.Proportions.DEMO, width, height, zoneSide);
        StreetCamera cam = street.cam;
        CloudySky sky = new CloudySky(rng, cam.horizon());
        Skyline skyline = new Skyline(rng, width, height, cam.horizon());
        MarkedGround ground = new MarkedGround(rng, street);
        Roadside sides = new Roadside(rng, street, canvas);
        Sunlight sun = new Sunlight(rng, street, sides);
        ZoneSign zoneSign = new ZoneSign(rng, street, zoneSide);
        SceneTraffic traffic = new SceneTraffic(rng, street, canvas);
        traffic.sampleBus();
        int vehicles = traffic.sampleVehicles(cues.vehicleClass(), zoneSign);
        traffic.samplePeople();
        traffic.sampleFurniture();
        CameraEffects camera = new CameraEffects(rng, canvas);

        sky.draw(canvas);
        skyline.draw(canvas);
        ground.draw(canvas, cues.groundClass(), sun);
        sides.draw(canvas, sun);
        traffic.draw();
        zoneSign.draw(canvas, cam, cues.vehicleClass());
        camera.drawHood();
        camera.apply();
        return new PaintedScene(width, height, canvas.rgb, canvas.labels, cues, zoneSign.box(),
                ground.markingPixels(canvas), ground.markingRows(), vehicles);
    }
}
