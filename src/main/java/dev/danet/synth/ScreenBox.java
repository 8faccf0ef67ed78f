package dev.danet.synth;

import java.util.List;

/** An object's rectangle on the screen, in pixels, with its depth (nearer boxes cover farther ones). */
record ScreenBox(double x0, double y0, double x1, double y1, double z) {

    /** The box of an object {@code heightM} tall and {@code 2 * halfWidthM} wide standing on the ground at (worldX, z). */
    static ScreenBox upright(StreetCamera cam, double worldX, double halfWidthM, double heightM, double z) {
        return new ScreenBox(cam.x(worldX - halfWidthM, z), cam.y(heightM, z), cam.x(worldX + halfWidthM, z), cam.y(0, z), z);
    }

    double overlap(ScreenBox o) {
        double w = Math.min(x1, o.x1) - Math.max(x0, o.x0);
        double h = Math.min(y1, o.y1) - Math.max(y0, o.y0);
        return w > 0 && h > 0 ? w * h : 0;
    }

    double area() {
        return (x1 - x0) * (y1 - y0);
    }

    /** The width of the box inside an image this wide. */
    double visibleWidth(int width) {
        return Math.min(x1, width) - Math.max(x0, 0);
    }

    /** Horizontal distance between the boxes (negative when their columns overlap). */
    double gapX(ScreenBox o) {
        return Math.max(o.x0 - x1, x0 - o.x1);
    }

    /** The area of this box that the nearer of {@code boxes} cover (overlaps summed; this box itself skipped). */
    double hiddenBy(List<ScreenBox> boxes) {
        double hidden = 0;
        for (ScreenBox o : boxes) {
            if (o != this && o.z() < z) {
                hidden += o.overlap(this);
            }
        }
        return hidden;
    }

    /** The pixels the box covers, grown by {@code grow} and clipped to the image: {x0, y0, x1, y1}, ends exclusive. */
    int[] pixels(int width, int height, int grow) {
        return new int[] {Math.max(0, (int) Math.floor(x0) - grow), Math.max(0, (int) Math.floor(y0) - grow),
            Math.min(width, (int) Math.ceil(x1) + grow), Math.min(height, (int) Math.ceil(y1) + grow)};
    }
}
