package dev.danet.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The four street benchmarks: twins differ only in the cue, the cue alone decides the vehicles'
 * class (so a local oracle is at chance), the cue is far from every vehicle, and the cue can be
 * read off the picture. The control keeps the same scenes and cue flips but labels by look.
 */
class StreetBenchmarksTest {

    private static final int H = 128;
    private static final int W = 256;
    private static final int PAIRS = 30;
    private static final int CAR = SyntheticClass.CAR.labelId();
    private static final int TRUCK = SyntheticClass.TRUCK.labelId();

    private static BenchmarkScene paint(ContextBenchmark b, long seed, String split, int index) {
        return b.paint(seed, split, index, H, W);
    }

    private static boolean vehicle(int labelId) {
        return labelId == CAR || labelId == TRUCK;
    }

    // ------------------------------------------------------------------ twins: the same pixels, two labels

    @ParameterizedTest
    @EnumSource(value = ContextBenchmark.class, names = {"WEATHER", "SIGN", "PAIRING", "CONTROL"})
    void twinsDifferOnlyInsideTheCueSoALocalOracleIsAtChanceOnTheVehicles(ContextBenchmark b) {
        boolean context = b != ContextBenchmark.CONTROL;
        long vehiclePixels = 0;
        // Keys for the oracle: the twin pair (both show the vehicles alike, checked below), and coarser, the
        // look alone (kind, paint and size of the first vehicle). Every classifier that does not see the cue
        // predicts the same for both twins, so it is right on half of the vehicles' pixels at best.
        LocalOracle byPair = new LocalOracle();
        LocalOracle byLook = new LocalOracle();
        for (int k = 0; k < PAIRS; k++) {
            BenchmarkScene x = paint(b, 1, "train", 2 * k);
            BenchmarkScene y = paint(b, 1, "train", 2 * k + 1);
            for (BenchmarkScene s : List.of(x, y)) {
                int label = s.contextClass().labelId();
                BenchmarkObject v = s.objects().stream().filter(o -> vehicle(o.label().labelId())).findFirst().orElseThrow();
                byPair.add(Integer.toString(s.pair()), label, s.labelCounts()[label]);
                byLook.add(v.kind() + "/" + v.paint() + "/" + v.size() / 4, label, s.labelCounts()[label]);
            }
            assertEquals(k, x.pair());
            assertEquals(k, y.pair());
            assertEquals(0, x.member());
            assertEquals(1, y.member());
            assertNotEquals(x.cue(), y.cue(), "pair " + k + ": the cue flips");
            assertEquals(context, x.contextClass() != y.contextClass(), "pair " + k + ": " + x.cue() + " / " + y.cue());
            int changedCue = 0;
            int pixels = 0;
            for (int row = 0; row < H; row++) {
                for (int col = 0; col < W; col++) {
                    boolean cue = x.inCue(col, row) || y.inCue(col, row);
                    if (cue) {
                        changedCue += x.colour(col, row) != y.colour(col, row) ? 1 : 0;
                        continue;
                    }
                    String at = b.id() + " pair " + k + " pixel " + col + "," + row;
                    assertEquals(x.colour(col, row), y.colour(col, row), at);
                    int lx = x.labelId(col, row);
                    int ly = y.labelId(col, row);
                    if (vehicle(lx)) {
                        pixels++;
                        assertEquals(context ? (lx == CAR ? TRUCK : CAR) : lx, ly, at);
                    } else {
                        assertEquals(lx, ly, at);
                    }
                }
            }
            assertTrue(changedCue > 10, b.id() + " pair " + k + ": the cue is visible and changes (" + changedCue + " px)");
            assertTrue(pixels >= 20, b.id() + " pair " + k + ": the vehicles show (" + pixels + " px)");
            vehiclePixels += pixels;
        }
        System.out.printf("%s: %d pairs, %d vehicle pixels outside every cue%n", b.id(), PAIRS, vehiclePixels);
        double chance = context ? 0.5 : 1.0;
        assertEquals(chance, byPair.bestAccuracy(), 1e-12, b.id() + ": the local oracle");
        assertEquals(PAIRS, byPair.keys());
        assertEquals(chance, byLook.bestAccuracy(), 1e-12, b.id() + ": the oracle on the look");
    }

    @Test
    void theThreeContextBenchmarksPaintTheSameStreetsAndDifferOnlyInTheirCues() {
        for (int i = 0; i < 16; i++) {
            BenchmarkScene weather = paint(ContextBenchmark.WEATHER, 3, "val", i);
            BenchmarkScene sign = paint(ContextBenchmark.SIGN, 3, "val", i);
            BenchmarkScene pairing = paint(ContextBenchmark.PAIRING, 3, "val", i);
            for (int p = 0; p < H * W; p++) {
                boolean anyCue = weather.cueMask()[p] || sign.cueMask()[p] || pairing.cueMask()[p];
                if (!anyCue) {
                    assertEquals(weather.rgb()[p], sign.rgb()[p], "image " + i);
                    assertEquals(weather.rgb()[p], pairing.rgb()[p], "image " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ContextBenchmark.class, names = {"WEATHER", "SIGN", "PAIRING", "CONTROL"})
    void swappingTheCueByHandChangesOnlyTheCueRegion(ContextBenchmark b) {
        // the painter's own guarantee, independent of how the twins are drawn: flip one cue of a scene
        for (int i = 0; i < 8; i++) {
            StreetCues cues = StreetCues.of(b, 5, "train", i);
            StreetCues flipped = switch (b) {
                case WEATHER -> new StreetCues(!cues.overcast(), cues.purpleSign(), cues.busMatchesFleet(), false,
                        cues.vehicleClass());
                case SIGN -> new StreetCues(cues.overcast(), !cues.purpleSign(), cues.busMatchesFleet(), false,
                        cues.vehicleClass());
                default -> new StreetCues(cues.overcast(), cues.purpleSign(), !cues.busMatchesFleet(), cues.boxTrucks(),
                        cues.vehicleClass());
            };
            BenchmarkScene x = StreetBenchmarkPainter.paint(b, 5, "train", i, H, W, cues);
            BenchmarkScene y = StreetBenchmarkPainter.paint(b, 5, "train", i, H, W, flipped);
            for (int p = 0; p < H * W; p++) {
                if (!x.cueMask()[p]) {
                    assertEquals(x.rgb()[p], y.rgb()[p], b.id() + " image " + i);
                    assertEquals(x.labelIds()[p], y.labelIds()[p], "labels follow the given class, not the cue");
                }
            }
        }
    }

    // ------------------------------------------------------------------ the oracles

    @Test
    void theCueIsPlainInThePictureWeatherBySkyColourSignByPlateColour() {
        double clearMin = Double.POSITIVE_INFINITY;
        double overcastMax = Double.NEGATIVE_INFINITY;
        double greenMin = Double.POSITIVE_INFINITY;
        double purpleMax = Double.NEGATIVE_INFINITY;
        int sky = SyntheticClass.SKY.labelId();
        int plate = SyntheticClass.TRAFFIC_SIGN.labelId();
        for (int i = 0; i < 80; i++) {
            BenchmarkScene w = paint(ContextBenchmark.WEATHER, 4, "train", i);
            double blueness = mean(w, (x, y) -> w.labelId(x, y) == sky, c -> Colour.blue(c) - Colour.red(c));
            if (w.contextClass() == SyntheticClass.CAR) {
                clearMin = Math.min(clearMin, blueness);
            } else {
                overcastMax = Math.max(overcastMax, blueness);
            }
            BenchmarkScene s = paint(ContextBenchmark.SIGN, 4, "train", i);
            int[] box = s.objects(BenchmarkObject.Kind.CUE_SIGN).get(0).box();
            double green = mean(s, (x, y) -> s.labelId(x, y) == plate && x >= box[0] && x < box[2] && y >= box[1]
                    && y < box[3], c -> Colour.green(c) - Colour.blue(c));
            if (s.contextClass() == SyntheticClass.CAR) {
                greenMin = Math.min(greenMin, green);
            } else {
                purpleMax = Math.max(purpleMax, green);
            }
        }
        System.out.printf("sky blue-red: clear >= %.1f, overcast <= %.1f; plate green-blue: green >= %.1f, purple <= %.1f%n",
                clearMin, overcastMax, greenMin, purpleMax);
        assertTrue(clearMin > overcastMax + 20, "one threshold on the sky's colour tells the weather");
        assertTrue(greenMin > purpleMax + 40, "one threshold on the plate's colour tells the face");
    }

    @Test
    void pairingIsDecidedByTheRelationNotByEitherPaintAlone() {
        LocalOracle fleetPaint = new LocalOracle();
        java.util.Map<Integer, int[]> busPaint = new java.util.TreeMap<>(); // paint -> {car images, truck images}
        int n = 300;
        for (int i = 0; i < n; i++) {
            BenchmarkScene s = paint(ContextBenchmark.PAIRING, 6, "train", i);
            BenchmarkObject bus = s.objects(BenchmarkObject.Kind.BUS).get(0);
            List<BenchmarkObject> vehicles = s.objects(BenchmarkObject.Kind.LOOK_ALIKE_VEHICLE);
            assertFalse(vehicles.isEmpty());
            int fleet = vehicles.get(0).paint();
            vehicles.forEach(v -> assertEquals(fleet, v.paint(), "one paint for all vehicles of an image"));
            int label = s.contextClass().labelId();
            assertEquals(bus.paint() == fleet ? CAR : TRUCK, label, "image " + i + ": car exactly when the paints match");
            busPaint.computeIfAbsent(bus.paint(), p -> new int[2])[label == CAR ? 0 : 1]++;
            fleetPaint.add(Integer.toString(fleet), label, 1);
        }
        // the vehicles' paint alone: the twins share it and have opposite classes, so exactly chance
        assertEquals(0.5, fleetPaint.bestAccuracy(), 1e-12);
        // the bus's paint alone: uniform over the eight in both classes; independence holds by a chi-square test
        assertEquals(8, busPaint.size());
        double chi2 = 0;
        for (int[] row : busPaint.values()) {
            for (int c = 0; c < 2; c++) {
                double expected = (row[0] + row[1]) / 2.0; // the classes are balanced exactly
                chi2 += (row[c] - expected) * (row[c] - expected) / expected;
            }
        }
        System.out.printf("pairing: bus paint vs class over %d images: chi-square %.2f (7 degrees of freedom)%n", n, chi2);
        assertTrue(chi2 < 24.32, "the bus's paint alone tells the class (chi-square " + chi2 + ", p < 0.001)");
    }

    // ------------------------------------------------------------------ distances and balance

    @ParameterizedTest
    @EnumSource(value = ContextBenchmark.class, names = {"WEATHER", "CONTROL"})
    void everyCueStaysFarFromEveryVehicle(ContextBenchmark b) {
        int sky = SyntheticClass.SKY.labelId();
        int minSkyGap = Integer.MAX_VALUE;
        int minSignGap = Integer.MAX_VALUE;
        int minBusGap = Integer.MAX_VALUE;
        for (long seed : new long[] {1, 7}) {
            for (int i = 0; i < 50; i++) {
                BenchmarkScene s = paint(b, seed, "train", i);
                int lowestSky = -1;
                int topVehicle = H;
                int[] sign = s.objects(BenchmarkObject.Kind.CUE_SIGN).get(0).box();
                List<BenchmarkObject> buses = s.objects(BenchmarkObject.Kind.BUS);
                assertEquals(1, buses.size(), "image " + i + " has its bus");
                int[] bus = buses.get(0).box();
                int skyPixels = 0;
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        int l = s.labelId(x, y);
                        if (l == sky) {
                            lowestSky = y;
                            skyPixels++;
                        } else if (vehicle(l)) {
                            topVehicle = Math.min(topVehicle, y);
                            minSignGap = Math.min(minSignGap, gap(x, sign));
                            minBusGap = Math.min(minBusGap, gap(x, bus));
                        }
                    }
                }
                assertTrue(skyPixels >= 300, "image " + i + " shows its sky: " + skyPixels);
                minSkyGap = Math.min(minSkyGap, topVehicle - lowestSky);
            }
        }
        System.out.printf("%s: least gaps: sky %d px (rows), sign %d px, bus %d px (columns)%n", b.id(), minSkyGap,
                minSignGap, minBusGap);
        assertTrue(minSkyGap >= StreetBenchmarkPainter.SKY_GAP * H, "sky gap " + minSkyGap);
        assertTrue(minSignGap >= StreetBenchmarkPainter.SIGN_GAP * W, "sign gap " + minSignGap);
        assertTrue(minBusGap >= StreetBenchmarkPainter.BUS_GAP * W - 1, "bus gap " + minBusGap);
    }

    @ParameterizedTest
    @EnumSource(value = ContextBenchmark.class, names = {"WEATHER", "SIGN", "PAIRING", "CONTROL"})
    void classesAreBalancedExactlyAndEveryImageHasVehiclesABusAndItsSign(ContextBenchmark b) {
        int cars = 0;
        int n = 40;
        for (int i = 0; i < n; i++) {
            BenchmarkScene s = paint(b, 9, "val", i);
            cars += s.contextClass() == SyntheticClass.CAR ? 1 : 0;
            long[] counts = s.labelCounts();
            int label = s.contextClass().labelId();
            assertTrue(counts[label] >= 20, "image " + i + " vehicles: " + counts[label]);
            assertEquals(0, counts[label == CAR ? TRUCK : CAR], "one vehicle class per image");
            assertEquals(1, s.objects(BenchmarkObject.Kind.BUS).size());
            assertEquals(1, s.objects(BenchmarkObject.Kind.CUE_SIGN).size());
            for (BenchmarkObject v : s.objects()) {
                boolean isVehicle = vehicle(v.label().labelId());
                assertEquals(isVehicle && b != ContextBenchmark.CONTROL, v.contextDecided());
                if (isVehicle) {
                    boolean boxTruck = v.kind() == BenchmarkObject.Kind.BOX_TRUCK;
                    assertEquals(b == ContextBenchmark.CONTROL && v.label() == SyntheticClass.TRUCK, boxTruck,
                            "box trucks are the control's trucks, and only those");
                }
            }
        }
        assertEquals(n / 2, cars, b.id());
    }

    // ------------------------------------------------------------------ helpers

    /** Horizontal distance from column x to a box's columns (0 inside). */
    private static int gap(int x, int[] box) {
        return x < box[0] ? box[0] - x : x >= box[2] ? x - box[2] + 1 : 0;
    }

    private interface Where {
        boolean at(int x, int y);
    }

    private interface Value {
        double of(int colour);
    }

    private static double mean(BenchmarkScene s, Where where, Value value) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                if (where.at(x, y)) {
                    sum += value.of(s.colour(x, y));
                    n++;
                }
            }
        }
        assertTrue(n > 0);
        return sum / n;
    }

    @Test
    void paintingIsDeterministic() {
        BenchmarkScene a = paint(ContextBenchmark.PAIRING, 11, "train", 17);
        BenchmarkScene b = paint(ContextBenchmark.PAIRING, 11, "train", 17);
        assertArrayEquals(a.rgb(), b.rgb());
        assertArrayEquals(a.labelIds(), b.labelIds());
        BenchmarkScene other = paint(ContextBenchmark.PAIRING, 12, "train", 17);
        assertTrue(IntStream.range(0, H * W).anyMatch(p -> a.rgb()[p] != other.rgb()[p]), "another seed, another scene");
    }
}
