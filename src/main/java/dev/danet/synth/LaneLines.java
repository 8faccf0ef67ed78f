package dev.danet.synth;

/**
 * The white lines of a carriageway: an edge line 0.35 m in from each kerb and dashed lines
 * between the lanes.
 *
 * @param halfWidth half a line's width, metres
 * @param dashPeriod a dash and the gap after it, metres along the street
 * @param dashLength a dash, metres
 * @param dashPhase where the dashes start, metres
 */
record LaneLines(double halfWidth, double dashPeriod, double dashLength, double dashPhase) {

    static LaneLines sample(SceneRandom r) {
        double half = r.range(0.08, 0.13);
        double period = r.range(6, 12);
        double length = period * r.range(0.3, 0.5);
        return new LaneLines(half, period, length, r.range(0, period));
    }

    /** Whether a point of the carriageway lies on the edge line of its side of the street. */
    boolean onEdgeLine(StreetLayout street, double worldX) {
        return Math.abs(Math.abs(worldX) - street.roadEdge[StreetLayout.side(worldX)] + 0.35) < halfWidth;
    }

    /** Whether a point of the carriageway lies on a dash between two lanes. */
    boolean onDivider(StreetLayout street, double worldX, double z) {
        for (double dx : street.dividers) {
            if (Math.abs(worldX - dx) < halfWidth && Noise.wrap(z + dashPhase, dashPeriod) < dashLength) {
                return true;
            }
        }
        return false;
    }
}
