package dev.danet.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Drawings of the objects placed in a scene, run far to near so that near objects cover far ones. */
final class FarToNear {

    private record Placed(double depth, Runnable draw) {}

    private final List<Placed> placed = new ArrayList<>();

    /** Queues the drawing of an object at depth z (metres). */
    void add(double z, Runnable draw) {
        placed.add(new Placed(z, draw));
    }

    int size() {
        return placed.size();
    }

    /** Drops the drawings queued after the first {@code size} (a layout that is tried again). */
    void truncate(int size) {
        while (placed.size() > size) {
            placed.remove(placed.size() - 1);
        }
    }

    /** Runs every drawing, the farthest first; objects at the same depth in the order they were queued. */
    void draw() {
        List<Placed> ordered = new ArrayList<>(placed);
        ordered.sort(Comparator.comparingDouble(Placed::depth).reversed());
        for (Placed p : ordered) {
            p.draw().run();
        }
    }
}
