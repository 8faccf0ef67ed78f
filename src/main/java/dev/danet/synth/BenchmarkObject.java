package dev.danet.synth;

/**
 * An object of a benchmark image that its labels are about.
 *
 * @param kind what it is
 * @param label the class it is labelled with
 * @param contextDecided whether the benchmark's cue, not its own look, decides that label
 * @param box its screen box {x0, y0, x1, y1}, x1 and y1 exclusive, clipped to the image
 * @param size its size in pixels: a vehicle's height, a shape's diameter (0 for the sign)
 * @param paint its paint, packed 0xRRGGBB, before light and camera (the cargo box's for a box truck; -1 for the sign)
 * @param innerPixels for shapes, the pixels of the object that lie inside both twins' outlines and more than
 *     {@link ScaleScenePainter#INNER_RADIUS} pixels from either (0 for street objects)
 */
public record BenchmarkObject(Kind kind, SyntheticClass label, boolean contextDecided, int[] box, int size, int paint,
                              int innerPixels) {

    /** The kinds of object the benchmarks place. */
    public enum Kind {
        LOOK_ALIKE_VEHICLE, BOX_TRUCK, BUS, CUE_SIGN, DISC, SQUARE;

        /** Lower case with spaces, for the manifest. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }
}
