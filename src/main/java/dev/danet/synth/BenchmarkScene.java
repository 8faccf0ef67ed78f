package dev.danet.synth;

import java.util.List;

/**
 * One image of a context benchmark as painted: the picture, its Cityscapes labelIds, which twin
 * it is, where its cue lies and the objects whose labels the benchmark is about.
 *
 * @param benchmark the benchmark
 * @param pair the twin pair (index / 2): both twins are the same scene
 * @param member 0 or 1 within the pair
 * @param width pixels per row
 * @param height rows
 * @param rgb packed 0xRRGGBB colours, row-major
 * @param labelIds Cityscapes labelIds (unsigned bytes), row-major
 * @param cueMask the pixels that flipping the cue may change (grown by a pixel for the camera blur);
 *     every other pixel is the same in both twins
 * @param cue the cue's value in words, e.g. "overcast sky"
 * @param contextClass the label the cue gave the context-decided objects (street benchmarks; null for scale)
 * @param objects the objects the benchmark is about: look-alike vehicles or box trucks, the bus and the
 *     cue sign (street), or the shapes (scale)
 */
public record BenchmarkScene(ContextBenchmark benchmark, int pair, int member, int width, int height, int[] rgb,
                             byte[] labelIds, boolean[] cueMask, String cue, SyntheticClass contextClass,
                             List<BenchmarkObject> objects) implements SceneImage {

    public BenchmarkScene {
        objects = List.copyOf(objects);
    }

    public boolean inCue(int x, int y) {
        return cueMask[y * width + x];
    }

    /** The objects of one kind. */
    public List<BenchmarkObject> objects(BenchmarkObject.Kind kind) {
        return objects.stream().filter(o -> o.kind() == kind).toList();
    }
}
