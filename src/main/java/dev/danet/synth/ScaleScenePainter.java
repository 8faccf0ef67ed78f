package dev.danet.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * Paints one image of the scale benchmark: three to six textured shapes on a textured ground,
 * whose sizes span 8 px to 0.85 of the image height. A disc is labelled traffic sign, a square of
 * the same area wall, the ground road. The inside of every shape carries the same kind of texture
 * (small dots and squares of both kinds, in one of eight paints), drawn as a function of the
 * position alone, so only the outline tells a disc from a square: a pixel deep inside a large
 * shape is decided by an outline tens of pixels away, while a small shape is all outline and
 * vanishes at half scale (an 8 px shape is 4 px there, half a feature cell at output stride 8).
 *
 * <p>Twins (images 2k and 2k+1) are the same scene with every disc and square swapped; away from
 * the outlines they are the same picture.
 */
final class ScaleScenePainter {

    /** Pixels farther than this inside both twins' outlines count as inner: a 33x33 window sees no outline. */
    static final int INNER_RADIUS = 16;
    /** Smallest shape, in pixels. */
    static final int MIN_SIZE = 8;
    /** Largest shape, as a fraction of the image height. */
    static final double MAX_SIZE = 0.85;

    private static final long SCALE_SALT = 0x5CA1EL;
    /** A square's side per disc diameter for equal areas: sqrt(pi) / 2. */
    private static final double SQUARE_SIDE = 0.886226925452758;
    private static final int MARGIN = 4;

    private record Shape(double cx, double cy, double size, boolean discFirst, int paint, double spacing, long seed) {
        double radius() {
            return size / 2;
        }

        double half() {
            return size * SQUARE_SIDE / 2;
        }

        /** Signed distance inside the disc (positive inside). */
        double insideDisc(double x, double y) {
            return radius() - Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
        }

        /** Signed distance inside the square (positive inside). */
        double insideSquare(double x, double y) {
            return half() - Math.max(Math.abs(x - cx), Math.abs(y - cy));
        }
    }

    private ScaleScenePainter() {}

    /** Image {@code index} of the scale benchmark. */
    static BenchmarkScene paint(long seed, String split, int index, int height, int width) {
        SceneRandom rng = SceneRandom.keyed(seed, split.hashCode(), index / 2, SCALE_SALT);
        boolean swapped = index % 2 == 1;
        Canvas canvas = new Canvas(width, height);
        int ground = Colour.jitter(Colour.rgb(118, 118, 114), rng, 10, 0.18);
        double groundSpacing = rng.range(7, 10);
        long groundSeed = rng.nextLong();
        List<Shape> shapes = sampleShapes(rng, height, width);
        CameraEffects camera = new CameraEffects(rng, canvas);

        int road = SyntheticClass.ROAD.labelId();
        boolean[] cueMask = new boolean[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double px = x + 0.5;
                double py = y + 0.5;
                int label = road;
                int colour = texture(ground, groundSpacing, groundSeed, x, y, 0.75, 1.2);
                for (Shape s : shapes) {
                    double disc = s.insideDisc(px, py);
                    double square = s.insideSquare(px, py);
                    boolean isDisc = s.discFirst() != swapped;
                    double inside = isDisc ? disc : square;
                    if (Math.min(Math.abs(disc), Math.abs(square)) <= 3 || (disc > 0) != (square > 0)) {
                        cueMask[y * width + x] = true; // the outlines, the rim and a pixel of blur
                    }
                    if (inside > 0) {
                        label = (isDisc ? SyntheticClass.TRAFFIC_SIGN : SyntheticClass.WALL).labelId();
                        colour = texture(BenchmarkSprites.PAINTS[s.paint()], s.spacing(), s.seed(), x, y, 0.55, 1.35);
                        if (inside < 1.5) {
                            colour = Colour.scale(colour, 0.7); // a darker rim
                        }
                    }
                }
                canvas.put(x, y, label, colour);
            }
        }
        camera.apply();

        List<BenchmarkObject> objects = new ArrayList<>();
        for (Shape s : shapes) {
            boolean isDisc = s.discFirst() != swapped;
            int r = (int) Math.ceil(s.radius());
            int[] box = {Math.max(0, (int) Math.floor(s.cx()) - r), Math.max(0, (int) Math.floor(s.cy()) - r),
                Math.min(width, (int) Math.ceil(s.cx()) + r), Math.min(height, (int) Math.ceil(s.cy()) + r)};
            objects.add(new BenchmarkObject(isDisc ? BenchmarkObject.Kind.DISC : BenchmarkObject.Kind.SQUARE,
                    isDisc ? SyntheticClass.TRAFFIC_SIGN : SyntheticClass.WALL, true, box,
                    (int) Math.round(s.size()), BenchmarkSprites.PAINTS[s.paint()], innerPixels(s, width, height)));
        }
        return new BenchmarkScene(ContextBenchmark.SCALE, index / 2, index % 2, width, height, canvas.rgb, canvas.labels,
                cueMask, swapped ? "discs and squares swapped" : "as drawn first",
                null, objects);
    }

    /**
     * One large shape (0.45-0.85 of the height) and two to five smaller ones (8 px to 0.45 of the height),
     * sizes log-uniform, placed inside the image without touching.
     */
    private static List<Shape> sampleShapes(SceneRandom rng, int height, int width) {
        int count = rng.rangeInt(3, 6);
        List<Shape> shapes = new ArrayList<>();
        double big = MAX_SIZE * height;
        for (int i = 0; i < count; i++) {
            double lo = i == 0 ? 0.45 * height : MIN_SIZE;
            double hi = i == 0 ? big : 0.45 * height;
            double size = rng.logUniform(lo, hi);
            boolean disc = rng.chance(0.5);
            int paint = rng.nextInt(BenchmarkSprites.PAINTS.length);
            double spacing = rng.range(5, 8);
            long seed = rng.nextLong();
            for (int attempt = 0; attempt < 100; attempt++) {
                double r = size / 2 + MARGIN;
                double cx = rng.range(r, width - r);
                double cy = rng.range(r, height - r);
                Shape s = new Shape(cx, cy, size, disc, paint, spacing, seed);
                if (shapes.stream().allMatch(o -> Math.sqrt((o.cx() - cx) * (o.cx() - cx) + (o.cy() - cy) * (o.cy() - cy))
                        > o.radius() + s.radius() + 4)) {
                    shapes.add(s);
                    break;
                }
            }
        }
        return shapes;
    }

    /**
     * A base colour with small dots and squares of both kinds on a jittered grid, darker or lighter,
     * plus grain: a function of the position and the seed alone.
     */
    private static int texture(int base, double spacing, long seed, int x, int y, double dark, double light) {
        int gx = (int) Math.floor(x / spacing);
        int gy = (int) Math.floor(y / spacing);
        int colour = base;
        for (int j = gy - 1; j <= gy + 1; j++) {
            for (int i = gx - 1; i <= gx + 1; i++) {
                if (Noise.hash(seed, i, j) < 0.3) {
                    continue;
                }
                double ex = (i + 0.2 + 0.6 * Noise.hash(seed + 1, i, j)) * spacing;
                double ey = (j + 0.2 + 0.6 * Noise.hash(seed + 2, i, j)) * spacing;
                double er = 1.2 + Noise.hash(seed + 3, i, j);
                boolean round = Noise.hash(seed + 4, i, j) < 0.5;
                double dx = Math.abs(x + 0.5 - ex);
                double dy = Math.abs(y + 0.5 - ey);
                boolean in = round ? dx * dx + dy * dy < er * er : Math.max(dx, dy) < er * 0.886;
                if (in) {
                    colour = Colour.scale(base, Noise.hash(seed + 5, i, j) < 0.5 ? dark : light);
                }
            }
        }
        return Colour.scale(colour, 1 + 0.12 * (Noise.hash(seed + 6, x, y) - 0.5));
    }

    /** Pixels inside both the disc and the square and more than {@link #INNER_RADIUS} from either outline. */
    private static int innerPixels(Shape s, int width, int height) {
        int count = 0;
        int r = (int) Math.ceil(s.radius());
        for (int y = Math.max(0, (int) s.cy() - r); y < Math.min(height, (int) s.cy() + r + 1); y++) {
            for (int x = Math.max(0, (int) s.cx() - r); x < Math.min(width, (int) s.cx() + r + 1); x++) {
                if (Math.min(s.insideDisc(x + 0.5, y + 0.5), s.insideSquare(x + 0.5, y + 0.5)) > INNER_RADIUS) {
                    count++;
                }
            }
        }
        return count;
    }
}
