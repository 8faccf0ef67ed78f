package dev.danet.synth;

import dev.danet.DanetException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The held-out benchmarks of issue 19: small synthetic sets in the Cityscapes layout, each built
 * so that one thing decides some classes. Four share one street scene and differ only in what
 * decides whether the look-alike vehicles are car or truck (a scene-wide cue, a distant sign, a
 * relation between two objects, or nothing but their own look, the control); the fifth, for
 * Attention to Scale, holds shapes whose sizes vary 14-fold.
 *
 * <p>Consecutive images (0 and 1, 2 and 3, ...) are twins: the same scene painted with the
 * benchmark's cue flipped. Outside the cue, twins are pixel for pixel the same picture, so in a
 * context benchmark the same vehicle pixels appear once as car and once as truck, and no
 * classifier that sees only them can do better than chance (see docs/context-benchmarks.md).
 */
public enum ContextBenchmark {

    WEATHER("weather", "scene-wide cue",
            "car under a clear blue sky, truck under an overcast, rainy one",
            "the sky's weather: it spans the image's width, and no vehicle pixel comes within "
                    + "a quarter of the image height of a sky pixel; nothing below the sky changes",
            List.of(SyntheticClass.CAR, SyntheticClass.TRUCK)),
    SIGN("sign", "distant local cue",
            "car when the small sign near one side edge is a green square, truck when it is a purple disc",
            "a sign plate 6-9% of the image height, drawn last, with no vehicle within 35% of the image width of it",
            List.of(SyntheticClass.CAR, SyntheticClass.TRUCK)),
    PAIRING("pairing", "relation between two objects",
            "car when the bus wears the vehicles' paint, truck when it wears another",
            "the bus, at least 15% of the image width from every vehicle; neither the bus's paint nor the "
                    + "vehicles' paint alone tells anything: each is uniform over the same eight paints",
            List.of(SyntheticClass.CAR, SyntheticClass.TRUCK)),
    CONTROL("control", "control: no context needed",
            "car for the look-alike vehicles, truck for box trucks (a windowless cargo box), in the same scenes",
            "none: sky, sign and bus vary as in the other three and flip between twins, and decide nothing",
            List.of()),
    SCALE("scale", "object scale (Attention to Scale)",
            "traffic sign for discs, wall for squares of the same area; sizes 8 to 0.85 x height pixels",
            "the object's outline: twins swap disc and square, with the same texture inside, so pixels deep "
                    + "inside a large object are decided by an outline tens of pixels away",
            List.of(SyntheticClass.TRAFFIC_SIGN, SyntheticClass.WALL));

    private final String id;
    private final String kind;
    private final String rule;
    private final String cue;
    private final List<SyntheticClass> contextClasses;

    ContextBenchmark(String id, String kind, String rule, String cue, List<SyntheticClass> contextClasses) {
        this.id = id;
        this.kind = kind;
        this.rule = rule;
        this.cue = cue;
        this.contextClasses = contextClasses;
    }

    /** The name on the command line and the Cityscapes "city" folder, e.g. "weather". */
    public String id() {
        return id;
    }

    /** What kind of evidence decides the classes, e.g. "scene-wide cue". */
    public String kind() {
        return kind;
    }

    /** The labelling rule in one line. */
    public String rule() {
        return rule;
    }

    /** Where the deciding evidence is and how far it stays from what it decides. */
    public String cue() {
        return cue;
    }

    /**
     * The classes whose label the cue decides (empty for the control). For {@link #SCALE} these are the two
     * shapes, whose inner pixels the outline decides.
     */
    public List<SyntheticClass> contextClasses() {
        return contextClasses;
    }

    /** The street benchmarks share one scene and differ in their cue; the scale benchmark is a scene of its own. */
    public boolean street() {
        return this != SCALE;
    }

    /** Paints image {@code index} of a split, as {@link ContextBenchmarks#generate} writes it. */
    public BenchmarkScene paint(long seed, String split, int index, int height, int width) {
        return street() ? StreetBenchmarkPainter.paint(this, seed, split, index, height, width)
                : ScaleScenePainter.paint(seed, split, index, height, width);
    }

    /** The benchmark with this id; a one-line error naming the valid ones otherwise. */
    public static ContextBenchmark parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (ContextBenchmark b : values()) {
            if (b.id.equals(wanted)) {
                return b;
            }
        }
        throw new DanetException("unknown benchmark '" + text + "': use one of " + ids()
                + " (./danet data benchmarks lists them)");
    }

    /** The ids, comma-separated. */
    public static String ids() {
        return Arrays.stream(values()).map(ContextBenchmark::id).collect(Collectors.joining(", "));
    }
}
