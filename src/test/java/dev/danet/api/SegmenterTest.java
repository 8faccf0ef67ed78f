package dev.danet.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.DanetException;
import dev.danet.data.ImageDecoder;
import dev.danet.data.RgbImage;
import dev.danet.inference.ImageSegmenter;
import dev.danet.inference.InferenceOptions;
import dev.danet.inference.LoadedModel;
import dev.danet.io.ModelLoader;
import dev.danet.nn.HeadType;
import dev.danet.testing.BadImages;
import dev.danet.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API: same labels as the library's own path, every input form, outputs on request, threads. */
class SegmenterTest {

    @TempDir
    static Path dir;

    private static final byte[] PHOTO = BadImages.png(48, 32, 11);
    private static Path weights;
    private static Segmenter segmenter;

    @BeforeAll
    static void load() {
        weights = TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET);
        segmenter = Segmenter.load(weights);
    }

    @AfterAll
    static void close() {
        segmenter.close();
    }

    /** What `./danet segment` computes for the photo: the library's segmenter with the default options. */
    private static int[] libraryLabels(Path file, byte[] photo) {
        try (LoadedModel model = LoadedModel.load(file, ModelLoader.Options.defaults(),
                new PrintStream(OutputStream.nullOutputStream()))) {
            RgbImage image = ImageDecoder.decodeRgb("photo", photo, 1_000_000);
            return new ImageSegmenter(model.network(), model.card().normalization(), InferenceOptions.singleScale(512))
                    .segment(image, ImageSegmenter.Scores.NONE).labels();
        }
    }

    @Test
    void aBufferedImageBytesAndAFileGiveTheLibrarysLabels() throws Exception {
        int[] expected = libraryLabels(weights, PHOTO);
        Path file = Files.write(dir.resolve("photo.png"), PHOTO);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(PHOTO));
        Segmentation fromImage = segmenter.segment(image);
        assertArrayEquals(expected, fromImage.labels());
        assertArrayEquals(expected, segmenter.segment(PHOTO).labels());
        assertArrayEquals(expected, segmenter.segment(file).labels());
        assertEquals(48, fromImage.width());
        assertEquals(32, fromImage.height());
        assertEquals(TinyModels.CLASSES, fromImage.classNames());
        assertEquals(TinyModels.CLASSES.get(expected[5 * 48 + 7]), fromImage.classAt(7, 5));
        assertEquals(3, fromImage.colours().length);
        assertEquals(48 * 32, java.util.Arrays.stream(fromImage.pixelCounts()).sum());
        assertEquals(fromImage.colours()[expected[0]], fromImage.colourImage().getRGB(0, 0) & 0xffffff);
        assertFalse(fromImage.hasProbabilities());
        assertTrue(fromImage.attention().isEmpty());
        assertThrows(IllegalStateException.class, () -> fromImage.probability(0, 0, 0));
    }

    @Test
    void winogradConvolutionsGiveTheSameLabelsAndProbabilitiesWithinRounding() {
        try (Segmenter winograd = Segmenter.builder(weights).winogradConvolutions(true).build()) {
            Segmentation exact = segmenter.segment(PHOTO, Output.PROBABILITIES);
            Segmentation fast = winograd.segment(PHOTO, Output.PROBABILITIES);
            assertArrayEquals(exact.labels(), fast.labels());
            assertArrayEquals(exact.probabilities(), fast.probabilities(), 1e-4f);
        }
    }

    @Test
    void probabilitiesSumToOneAndTheirArgmaxIsTheLabel() {
        Segmentation s = segmenter.segment(PHOTO, Output.PROBABILITIES);
        for (int y = 0; y < s.height(); y += 7) {
            for (int x = 0; x < s.width(); x += 5) {
                float sum = 0;
                int best = 0;
                for (int k = 0; k < 3; k++) {
                    sum += s.probability(k, x, y);
                    best = s.probability(k, x, y) > s.probability(best, x, y) ? k : best;
                }
                assertEquals(1f, sum, 1e-4f);
                assertEquals(s.labelAt(x, y), best);
            }
        }
        assertEquals(3 * 48 * 32, s.probabilities().length);
    }

    @Test
    void attentionMapsHoldChannelMapsAndPositionRowsThatSumToOne() {
        AttentionMaps maps = segmenter.segment(PHOTO, Output.ATTENTION).attention().orElseThrow();
        assertTrue(maps.hasPositionAttention() && maps.hasChannelAttention());
        assertEquals(maps.gridWidth() * maps.gridHeight(), maps.channelMap(0).length);
        AttentionMaps.PositionAttention row = maps.positionAttention(40, 10);
        float sum = 0;
        for (float w : row.weights()) {
            sum += w;
        }
        assertEquals(1f, sum, 1e-4f);
        assertEquals(maps.gridWidth() * maps.gridHeight(), row.weights().length);
    }

    @Test
    void attentionFromAModelWithoutItIsRefusedWithTheFileNamed() {
        try (Segmenter fcn = Segmenter.load(TinyModels.save(dir.resolve("fcn.danet"), HeadType.FCN))) {
            assertFalse(fcn.hasAttention());
            DanetException e = assertThrows(DanetException.class, () -> fcn.segment(PHOTO, Output.ATTENTION));
            assertTrue(e.getMessage().contains("fcn.danet"), e.getMessage());
            assertEquals(32, fcn.segment(PHOTO).height());
        }
    }

    @Test
    void badInputsFailWithOneClearError() {
        assertThrows(DanetException.class, () -> segmenter.segment(BadImages.notAnImage()));
        DanetException missing = assertThrows(DanetException.class, () -> Segmenter.load(dir.resolve("none.danet")));
        assertTrue(missing.getMessage().contains("none.danet"));
        try (Segmenter small = Segmenter.builder(weights).maxPixels(100).build()) {
            assertThrows(DanetException.class, () -> small.segment(PHOTO));
            assertThrows(DanetException.class, () -> small.segment(new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB)));
        }
        assertThrows(IllegalArgumentException.class, () -> Segmenter.builder(weights).scales());
    }

    @Test
    void concurrentCallersGetTheSerialAnswer() throws Exception {
        int[] expected = segmenter.segment(PHOTO).labels();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> segmenter.segment(PHOTO).labels()));
            }
            for (Future<int[]> answer : answers) {
                assertArrayEquals(expected, answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedSegmenterRefusesWork() {
        Segmenter closing = Segmenter.load(weights);
        closing.close();
        closing.close(); // twice is harmless
        assertThrows(IllegalStateException.class, () -> closing.segment(PHOTO));
    }
}
