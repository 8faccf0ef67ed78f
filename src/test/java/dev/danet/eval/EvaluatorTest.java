package dev.danet.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.DanetException;
import dev.danet.data.BadSamples;
import dev.danet.data.LabelGrid;
import dev.danet.data.LabeledImage;
import dev.danet.data.RgbImage;
import dev.danet.inference.InferenceOptions;
import dev.danet.inference.SegmentationInference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation loop with a fake model whose class scores are the normalised R, G, B
 * channels: a red pixel is predicted class 0, green 1, blue 2.
 */
class EvaluatorTest {

    private static final int I = 255;
    private static final List<String> NAMES = List.of("red", "green", "blue");

    @TempDir
    Path dir;

    /** A 1-row image of pure colours (0 red, 1 green, 2 blue) with the given labels. */
    private static LabeledImage sample(String id, int[] colours, int[] labels) {
        byte[] rgb = new byte[3 * colours.length];
        for (int i = 0; i < colours.length; i++) {
            rgb[3 * i + colours[i]] = (byte) 255;
        }
        return new LabeledImage(id, new RgbImage(colours.length, 1, rgb), new LabelGrid(labels.length, 1, labels));
    }

    private static final List<LabeledImage> SAMPLES = List.of(
            sample("a", new int[] {0, 0, 1, 2}, new int[] {0, 1, 1, I}),
            sample("b", new int[] {2, 2, 0}, new int[] {2, 0, 0}));

    private static EvaluationResult run(NDManager manager, IntFunction<LabeledImage> loader, int count, BadSamples bad,
            List<Evaluator.Status> statuses, List<String> seen) {
        Evaluator evaluator = new Evaluator(new SegmentationInference(x -> x.mul(1), InferenceOptions.singleScale(64)),
                manager, DataType.FLOAT32);
        return evaluator.evaluate(NAMES, count, loader, bad, statuses::add, (s, p) -> seen.add(s.id() + "=" + p.length));
    }

    @Test
    void confusionIsAccumulatedOverAllImagesAndCallbacksSeeEachOne() {
        List<Evaluator.Status> statuses = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            EvaluationResult r = run(manager, SAMPLES::get, 2, BadSamples.failFast(), statuses, seen);
            // a: truth 0 1 1 I / pred 0 0 1 2; b: truth 2 0 0 / pred 2 2 0
            assertArrayEquals(new long[] {2, 0, 1, 1, 1, 0, 0, 0, 1}, r.confusion().toArray());
            assertEquals(4.0 / 6, r.metrics().pixelAccuracy(), 1e-12);
            assertEquals(2, r.images());
            assertEquals(0, r.skippedImages());
            assertEquals(List.of("a=4", "b=3"), seen);
            assertEquals(2, statuses.size());
            assertEquals("b", statuses.get(1).lastId());
            assertEquals(2, statuses.get(1).done());
            assertEquals(r.metrics().miouAllClasses(), statuses.get(1).miouAllClasses(), 1e-12);
        }
    }

    @Test
    void unreadableImagesAreSkippedAndReportedOrStopTheRun() {
        IntFunction<LabeledImage> loader = i -> {
            if (i == 1) {
                throw new DanetException("broken.png: cannot decode");
            }
            return SAMPLES.get(i == 0 ? 0 : 1);
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            BadSamples skip = new BadSamples(BadSamples.Policy.SKIP);
            EvaluationResult r = run(manager, loader, 3, skip, new ArrayList<>(), new ArrayList<>());
            assertEquals(2, r.images());
            assertEquals(1, r.skippedImages());
            assertEquals(List.of("broken.png: cannot decode"), skip.problems());
            DanetException e = assertThrows(DanetException.class,
                    () -> run(manager, loader, 3, BadSamples.failFast(), new ArrayList<>(), new ArrayList<>()));
            assertTrue(e.getMessage().startsWith("broken.png"));
        }
    }

    @Test
    void aStripThatWouldTakeThousandsOfWindowsIsABadSampleNotAGiantScoreMap() {
        int length = 8_000_000; // within the decoder's pixel limit, but 64x64 windows along 8 M pixels
        LabeledImage strip = new LabeledImage("strip", new RgbImage(length, 1, new byte[3 * length]),
                new LabelGrid(length, 1, new int[length]));
        IntFunction<LabeledImage> loader = i -> i == 0 ? strip : SAMPLES.get(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            BadSamples skip = new BadSamples(BadSamples.Policy.SKIP);
            List<String> seen = new ArrayList<>();
            EvaluationResult r = run(manager, loader, 2, skip, new ArrayList<>(), seen);
            assertEquals(1, r.images());
            assertEquals(List.of("a=4"), seen, "the strip never ran");
            assertTrue(skip.problems().get(0).startsWith("strip: a 8000000x1 image takes"), skip.problems().toString());
        }
    }

    @Test
    void aModelWithAnotherClassCountIsAClearError() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Evaluator evaluator = new Evaluator(new SegmentationInference(x -> x.mul(1), InferenceOptions.singleScale(64)),
                    manager, DataType.FLOAT32);
            DanetException e = assertThrows(DanetException.class, () -> evaluator.evaluate(
                    List.of("a", "b", "c", "d"), 1, SAMPLES::get, BadSamples.failFast(), Evaluator.Progress.NONE,
                    Evaluator.PredictionSink.NONE));
            assertTrue(e.getMessage().contains("3 score maps") && e.getMessage().contains("4 classes"), e.getMessage());
        }
    }

    @Test
    void reportFilesHoldParsableJsonWithNullForUndefinedScoresAndTheConfusionCsv() throws Exception {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(new int[] {0, 1, I}, new int[] {0, 0, 2});
        SegmentationMetrics metrics = SegmentationMetrics.of(m, NAMES);
        EvaluationResult result = new EvaluationResult(metrics, m, 1, 0, 2.0, 1.5);
        InferenceOptions options = InferenceOptions.of(InferenceOptions.MULTI_SCALES, true, 512, 1024);
        EvaluationReport report = new EvaluationReport("fcn head", "w.danet",
                new EvaluationReport.Dataset("folder", "/data", "val", 1, 0, List.of()),
                EvaluationReport.Settings.of(options), metrics, EvaluationReport.Timing.of(result));
        List<Path> files = ReportFiles.write(dir.resolve("out"), report, m);
        JsonNode json = new ObjectMapper().readTree(files.get(0).toFile());
        assertEquals(0.5, json.at("/metrics/pixelAccuracy").asDouble(), 1e-12);
        assertEquals(1.0 / 6, json.at("/metrics/miouAllClasses").asDouble(), 1e-12);
        assertEquals(0.25, json.at("/metrics/miouPresentClasses").asDouble(), 1e-12);
        assertTrue(json.at("/metrics/perClass/2/iou").isNull(), "blue: empty union -> null");
        assertEquals("green", json.at("/metrics/perClass/1/name").asText());
        assertEquals(256, json.at("/inference/stride").asInt());
        assertEquals(7, json.at("/inference/scales").size());
        assertEquals("mean-colour", json.at("/inference/padValue").asText());
        assertEquals(2.0, json.at("/timing/secondsPerImage").asDouble());
        assertEquals("truth\\prediction,red,green,blue\nred,1,0,0\ngreen,1,0,0\nblue,0,0,0\n",
                Files.readString(files.get(1)));
        try (var listing = Files.list(dir.resolve("out"))) {
            assertEquals(2, listing.count(), "no temporary files left");
        }
    }
}
