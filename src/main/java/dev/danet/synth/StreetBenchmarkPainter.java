package dev.danet.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * Paints one image of the four street benchmarks (weather, sign, pairing, control): a raised
 * camera looking down a street ({@link StreetLayout}) with a weather sky ({@link WeatherSky}) over
 * the scenery ({@link StreetBackdrop}); in it trees, lamps, people, ordinary signs, one bus and one
 * to four vehicles of one paint, the "fleet" ({@link BenchmarkTraffic}), and, near one side edge, the
 * cue sign; and says where the cues are.
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
    /** The cue sign: small, close to the image edge. */
    private static final EdgeSign.Placement CUE_SIGN = new EdgeSign.Placement(new StreetLayout.Range(0.04, 0.10), 0.7,
            new StreetLayout.Range(0.06, 0.09), new StreetLayout.Range(2.6, 3.2));

    private StreetBenchmarkPainter() {}

    /** Image {@code index} of a street benchmark with its own cues. */
    static BenchmarkScene paint(ContextBenchmark benchmark, long seed, String split, int index, int height, int width) {
        return paint(benchmark, seed, split, index, height, width, StreetCues.of(benchmark, seed, split, index));
    }

    /** The same scene with the given cues (a test swaps them to show what changes). */
    static BenchmarkScene paint(ContextBenchmark benchmark, long seed, String split, int index, int height, int width,
                                StreetCues cues) {
        SceneRandom rng = SceneRandom.keyed(seed, split.hashCode(), index / 2, SCENE_SALT);
        Canvas canvas = new Canvas(width, height);
        // everything is sampled, in a fixed order, before anything is drawn
        int signSide = rng.nextInt(2);
        StreetLayout street = new StreetLayout(rng, StreetLayout.Proportions.BENCHMARKS, width, height, signSide);
        StreetCamera cam = street.cam;
        WeatherSky sky = new WeatherSky(rng);
        StreetBackdrop backdrop = new StreetBackdrop(rng, street, canvas);
        EdgeSign sign = EdgeSign.sample(rng, street, signSide, CUE_SIGN);
        ScreenBox signBox = new ScreenBox(sign.x() - sign.size() / 2 - 1, sign.plateY() - sign.size() / 2 - 1,
                sign.x() + sign.size() / 2 + 1, sign.baseY() + 1, sign.z());
        int fleet = rng.nextInt(BenchmarkSprites.PAINTS.length);
        int other = (fleet + 1 + rng.nextInt(BenchmarkSprites.PAINTS.length - 1)) % BenchmarkSprites.PAINTS.length;
        BenchmarkTraffic traffic = new BenchmarkTraffic(rng, street, canvas, signSide, signBox, backdrop.skyLowestRow());
        traffic.sampleBusAndVehicles(cues.busMatchesFleet() ? fleet : other, fleet, cues, benchmark);
        traffic.samplePeople();
        traffic.sampleFurniture();
        CameraEffects camera = new CameraEffects(rng, canvas);

        sky.draw(canvas, cam.horizon(), cues.overcast());
        backdrop.draw();
        traffic.draw();
        // drawn last, so nothing hides it
        BenchmarkSprites.cueSign(canvas, sign.x(), sign.baseY(), cam.scale(sign.z()), sign.plateY(), sign.size(),
                cues.purpleSign(), sign.seed());
        boolean[] cueMask = cueMask(benchmark, canvas, signBox, traffic.bus()); // before the void frame can hide sky
        camera.drawHood();
        camera.apply();
        if (traffic.bus() == null && benchmark == ContextBenchmark.PAIRING) {
            int label = cues.vehicleClass().labelId();
            for (int i = 0; i < canvas.labels.length; i++) {
                if ((canvas.labels[i] & 0xff) == label) {
                    canvas.labels[i] = (byte) SyntheticClass.UNLABELED.labelId(); // nothing to pair with: undecidable
                }
            }
        }
        List<BenchmarkObject> objects = new ArrayList<>(traffic.objects());
        objects.add(new BenchmarkObject(BenchmarkObject.Kind.CUE_SIGN, SyntheticClass.TRAFFIC_SIGN, false,
                signBox.pixels(width, height, 0), 0, -1, 0));
        return new BenchmarkScene(benchmark, index / 2, index % 2, width, height, canvas.rgb, canvas.labels,
                cueMask, cues.describe(benchmark), cues.vehicleClass(), objects);
    }

    /** The pixels that flipping the benchmark's cue may change: the sky (grown by a pixel), the sign's box, the bus's. */
    private static boolean[] cueMask(ContextBenchmark benchmark, Canvas canvas, ScreenBox signBox, ScreenBox busBox) {
        int width = canvas.width;
        int height = canvas.height;
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
            mark(mask, width, signBox.pixels(width, height, 1));
        }
        if ((benchmark == ContextBenchmark.PAIRING || benchmark == ContextBenchmark.CONTROL) && busBox != null) {
            mark(mask, width, busBox.pixels(width, height, 1));
        }
        return mask;
    }

    private static void mark(boolean[] mask, int width, int[] box) {
        for (int y = box[1]; y < box[3]; y++) {
            for (int x = box[0]; x < box[2]; x++) {
                mask[y * width + x] = true;
            }
        }
    }
}
