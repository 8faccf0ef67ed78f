package dev.danet.synth;

/**
 * The demo scene's distant city above the horizon: hazy blocks of buildings and, in some images,
 * a tree line in front of them.
 */
final class Skyline {

    private final double horizon;
    /** Per block: left edge, width (pixels) and height above the horizon (pixels). */
    private final double[] blocks;
    private final int[] colours;
    private final boolean trees;
    private final double treeFrom;
    private final double treeTo;
    private final int treeColour;
    private final long seed;

    Skyline(SceneRandom r, int width, int height, double horizon) {
        this.horizon = horizon;
        int n = r.rangeInt(6, 16);
        blocks = new double[3 * n];
        colours = new int[n];
        int hazy = Colour.mix(0x9A9CA0, 0xC8D2DC, 0.4);
        for (int i = 0; i < n; i++) {
            blocks[3 * i] = r.range(-0.05, 1.0) * width;
            blocks[3 * i + 1] = r.range(0.03, 0.12) * width;
            blocks[3 * i + 2] = r.range(0.02, 0.16) * height;
            colours[i] = Colour.jitter(hazy, r, 12, 0.12);
        }
        trees = r.chance(0.4);
        treeFrom = r.range(-0.1, 0.6) * width;
        treeTo = treeFrom + r.range(0.2, 0.6) * width;
        treeColour = Colour.jitter(0x5C7458, r, 8, 0.1);
        seed = r.nextLong();
    }

    void draw(Canvas canvas) {
        int building = SyntheticClass.BUILDING.labelId();
        for (int i = 0; i < colours.length; i++) {
            int c = colours[i];
            canvas.fillRect(blocks[3 * i], horizon - blocks[3 * i + 2], blocks[3 * i] + blocks[3 * i + 1], horizon + 1,
                    building, Sprites.shaded(c, seed + i, 0.08));
        }
        if (trees) {
            int vegetation = SyntheticClass.VEGETATION.labelId();
            Canvas.Shader leaves = (x, y) -> Colour.scale(treeColour, 0.8 + 0.4 * Noise.hash(seed, x, y));
            int from = Math.max(0, (int) treeFrom);
            int to = Math.min(canvas.width, (int) treeTo);
            for (int x = from; x < to; x++) {
                double top = horizon - canvas.height * (0.015 + 0.05 * Noise.fbm(seed + 1, x / 6.0, 0.5, 2));
                for (int y = Math.max(0, Canvas.firstRow(top)); y < Math.min(canvas.height, Canvas.firstRow(horizon + 1)); y++) {
                    canvas.put(x, y, vegetation, leaves.at(x, y));
                }
            }
        }
    }
}
