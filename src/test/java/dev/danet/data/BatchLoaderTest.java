package dev.danet.data;

import dev.danet.DanetException;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background loader: reproducible order and augmentation, exact resume, bad samples reported. */
class BatchLoaderTest {

    private static final Augmentation AUGMENT = new Augmentation(8, 8, 0.75, 2.0, true);

    @TempDir
    Path root;

    @BeforeEach
    void writeDataset() throws IOException {
        Files.createDirectories(root);
        Files.writeString(root.resolve("classes.txt"), "a\nb\n");
        for (int i = 0; i < 10; i++) {
            SampleFiles.picture(root.resolve("images/s" + i + ".png"), 12, 10);
            int[] labels = new int[120];
            java.util.Arrays.fill(labels, i % 2);
            SampleFiles.greyLabels(root.resolve("masks/s" + i + ".png"), 12, 10, labels);
        }
    }

    private BatchLoader loader(BadSamples bad, int threads, BatchLoader.Position start) {
        SegmentationDataset data = SegmentationDataset.open("folder", root, "train", bad);
        return new BatchLoader(data, 3, 42, AUGMENT::apply, bad, threads, start);
    }

    private static List<Batch> take(BatchLoader loader, int n) {
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(loader.next());
        }
        return out;
    }

    @Test
    void sameSeedGivesTheSameBatchesWhateverTheThreadCount() {
        List<Batch> one;
        List<Batch> two;
        try (BatchLoader a = loader(BadSamples.failFast(), 1, new BatchLoader.Position(0, 0));
                BatchLoader b = loader(BadSamples.failFast(), 3, new BatchLoader.Position(0, 0))) {
            one = take(a, 7);
            two = take(b, 7);
        }
        for (int i = 0; i < 7; i++) {
            assertEquals(one.get(i).ids(), two.get(i).ids());
            assertArrayEquals(one.get(i).images(), two.get(i).images());
            assertArrayEquals(one.get(i).labels(), two.get(i).labels());
        }
        assertNotEquals(one.get(0).ids(), one.get(3).ids(), "each epoch is shuffled anew");
    }

    @Test
    void resumingFromAPositionContinuesTheSameStream() {
        try (BatchLoader full = loader(BadSamples.failFast(), 2, new BatchLoader.Position(0, 0))) {
            List<Batch> expected = take(full, 8);
            BatchLoader.Position afterFive;
            try (BatchLoader first = loader(BadSamples.failFast(), 2, new BatchLoader.Position(0, 0))) {
                take(first, 5);
                afterFive = first.position();
            }
            assertEquals(new BatchLoader.Position(1, 2), afterFive, "3 full batches per epoch of 10");
            try (BatchLoader resumed = loader(BadSamples.failFast(), 2, afterFive)) {
                List<Batch> rest = take(resumed, 3);
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(expected.get(5 + i).images(), rest.get(i).images());
                    assertEquals(expected.get(5 + i).ids(), rest.get(i).ids());
                }
            }
        }
    }

    @Test
    void badSampleIsSkippedAndReportedWhenAsked() throws IOException {
        Files.writeString(root.resolve("images/s3.png"), "not a png");
        BadSamples bad = new BadSamples(BadSamples.Policy.SKIP);
        try (BatchLoader loader = loader(bad, 2, new BatchLoader.Position(0, 0))) {
            List<Batch> batches = take(loader, 6);
            assertTrue(batches.stream().allMatch(b -> b.size() == 3));
        }
        assertTrue(!bad.problems().isEmpty() && bad.problems().get(0).contains("s3.png"), bad.problems().toString());
    }

    @Test
    void aThinStripThatWouldScaleToBillionsOfPixelsIsABadSampleNamedByItsFile() throws IOException {
        // 2 x 20000 at base 8: 8 x 80000 would be fine, but at base 1024 it would be 1024 x 10 M.
        SampleFiles.picture(root.resolve("images/s4.png"), 20_000, 2);
        SampleFiles.greyLabels(root.resolve("masks/s4.png"), 20_000, 2, new int[40_000]);
        Augmentation cityscapesLike = new Augmentation(8, 8, 1024, 1.0, 2.0, true);
        BadSamples bad = new BadSamples(BadSamples.Policy.SKIP);
        SegmentationDataset data = SegmentationDataset.open("folder", root, "train", bad);
        try (BatchLoader loader = new BatchLoader(data, 3, 42, cityscapesLike::apply, bad, 1,
                new BatchLoader.Position(0, 0))) {
            take(loader, 4); // every sample once
        }
        assertEquals(1, bad.problems().size(), bad.problems().toString());
        String problem = bad.problems().get(0);
        assertTrue(problem.startsWith(root.resolve("images/s4.png") + ": a 20000x2 image would be resized to"), problem);

        BadSamples strict = BadSamples.failFast();
        try (BatchLoader loader = new BatchLoader(SegmentationDataset.open("folder", root, "train", strict), 3, 42,
                cityscapesLike::apply, strict, 1, new BatchLoader.Position(0, 0))) {
            DanetException e = assertThrows(DanetException.class, () -> take(loader, 4));
            assertTrue(e.getMessage().contains("s4.png: a 20000x2 image"), e.getMessage());
        }
    }
}
