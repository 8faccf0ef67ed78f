package dev.danet.synth;

/** Colours the demo scenes and the street benchmarks share: paving, window glass, asphalt, kerb stones, grass. */
final class StreetColours {

    static final int[] PAVING = {0xA0A09C, 0xB0A690, 0x9C7468, 0x8C8C88};
    static final int[] GLASS = {0x2A3440, 0x3A4A5A, 0x4A5A68, 0x303038};
    static final int KERB = 0xB4B4AE;
    static final int GRASS = 0x5A7434;

    private StreetColours() {}

    /** A dark-to-mid grey asphalt with a slight tint. */
    static int asphalt(SceneRandom r) {
        double g = r.range(72, 118);
        return Colour.rgb(g + r.range(-6, 8), g + r.range(-4, 4), g + r.range(-6, 8));
    }
}
