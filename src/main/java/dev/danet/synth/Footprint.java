package dev.danet.synth;

import java.util.List;

/** The ground an object stands on, in world metres: X across the street, Z along it. */
record Footprint(double x0, double x1, double z0, double z1) {

    boolean overlaps(Footprint o, double margin) {
        return x0 < o.x1 + margin && o.x0 < x1 + margin && z0 < o.z1 + margin && o.z0 < z1 + margin;
    }

    /** Whether this footprint keeps {@code margin} metres from every one of {@code taken}. */
    boolean clearOf(List<Footprint> taken, double margin) {
        for (Footprint o : taken) {
            if (o.overlaps(this, margin)) {
                return false;
            }
        }
        return true;
    }
}
