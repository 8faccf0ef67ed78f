package dev.danet.synth;

/**
 * The cues of one street-benchmark image and the class they give the vehicles. Every street
 * image carries all three cues (the sky's weather, the side sign's face, the bus's paint); the
 * benchmark decides which one sets the label, and which ones flip between twins.
 *
 * @param overcast the sky is overcast and rainy (else clear and blue)
 * @param purpleSign the side sign is a purple disc (else a green square)
 * @param busMatchesFleet the bus wears the look-alike vehicles' paint (else another of the eight)
 * @param boxTrucks the vehicles are box trucks (control only; else look-alike vehicles)
 * @param vehicleClass {@link SyntheticClass#CAR} or {@link SyntheticClass#TRUCK}
 */
record StreetCues(boolean overcast, boolean purpleSign, boolean busMatchesFleet, boolean boxTrucks,
                  SyntheticClass vehicleClass) {

    private static final long CUE_SALT = 0x5EED_C0E5L;
    private static final long CLASS_SALT = 0xC1A55L;

    /**
     * The cues of image {@code index}: twins (2k, 2k+1) share everything but the benchmark's own cue,
     * which the second twin flips (the control flips all three and keeps its class). In the context
     * benchmarks each pair therefore holds one car and one truck image; in the control each run of two
     * pairs (four indices) holds one car pair and one truck pair. The cues that decide nothing are
     * drawn per pair, independently.
     */
    static StreetCues of(ContextBenchmark benchmark, long seed, String split, int index) {
        int pair = index / 2;
        boolean second = index % 2 == 1;
        SceneRandom r = SceneRandom.keyed(seed, split.hashCode(), pair, CUE_SALT);
        boolean overcast = r.chance(0.5);
        boolean purple = r.chance(0.5);
        boolean match = r.chance(0.5);
        boolean boxTrucks = SceneRandom.keyed(seed, split.hashCode(), pair / 2, CLASS_SALT).chance(0.5) ^ (pair % 2 == 1);
        return switch (benchmark) {
            case WEATHER -> {
                boolean o = overcast ^ second;
                yield new StreetCues(o, purple, match, false, o ? SyntheticClass.TRUCK : SyntheticClass.CAR);
            }
            case SIGN -> {
                boolean p = purple ^ second;
                yield new StreetCues(overcast, p, match, false, p ? SyntheticClass.TRUCK : SyntheticClass.CAR);
            }
            case PAIRING -> {
                boolean m = match ^ second;
                yield new StreetCues(overcast, purple, m, false, m ? SyntheticClass.CAR : SyntheticClass.TRUCK);
            }
            case CONTROL -> new StreetCues(overcast ^ second, purple ^ second, match ^ second, boxTrucks,
                    boxTrucks ? SyntheticClass.TRUCK : SyntheticClass.CAR);
            case SCALE -> throw new IllegalArgumentException("the scale benchmark has no street cues");
        };
    }

    /** The value of the benchmark's own cue in words. */
    String describe(ContextBenchmark benchmark) {
        return switch (benchmark) {
            case WEATHER -> overcast ? "overcast sky" : "clear sky";
            case SIGN -> purpleSign ? "purple disc sign" : "green square sign";
            case PAIRING -> busMatchesFleet ? "bus wears the vehicles' paint" : "bus wears another paint";
            case CONTROL -> (overcast ? "overcast sky, " : "clear sky, ") + (purpleSign ? "purple disc, " : "green square, ")
                    + (busMatchesFleet ? "bus matches" : "bus differs");
            case SCALE -> throw new IllegalArgumentException("the scale benchmark has no street cues");
        };
    }
}
