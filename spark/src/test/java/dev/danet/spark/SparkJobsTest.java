package dev.danet.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.cli.ImageLimits;
import dev.danet.cli.Main;
import dev.danet.data.ImageDecoder;
import dev.danet.data.LabelGrid;
import dev.danet.eval.ReportFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs in local mode against the single-process commands on the same generated
 * scenes: the same label PNGs pixel for pixel, the same evaluation exactly, error rows for bad
 * images, and complete unique outputs after a task dies and is retried.
 */
class SparkJobsTest {

    private static final int SCENES = 6;

    @TempDir
    static Path shared;

    private static Path weights;
    private static Path data;
    private static Path photos;

    @TempDir
    Path dir;

    @BeforeAll
    static void fixtures() throws Exception {
        weights = SparkFixtures.model(shared.resolve("tiny.danet"));
        data = SparkFixtures.scenes(shared.resolve("scenes"), SCENES);
        photos = data.resolve("leftImg8bit").resolve("val");
        // A corrupt image among the photos: a PNG name over bytes that are no picture.
        Files.write(photos.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    }

    /** The label PNGs below a folder, by stem, as class indices. */
    private static Map<String, int[]> labels(Path folder) {
        Map<String, int[]> labels = new HashMap<>();
        for (String file : SparkFixtures.files(folder)) {
            if (file.endsWith(LabelPng.SUFFIX)) {
                LabelGrid grid = ImageDecoder.readLabels(folder.resolve(file));
                labels.put(file.substring(0, file.length() - LabelPng.SUFFIX.length()), grid.values());
            }
        }
        return labels;
    }

    /** A command line: the command, a group of flags, then the rest. */
    private static String[] args(String command, List<String> flags, String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of(command));
        all.addAll(flags);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    /** The spec `spark segment --weights FILE` sends to its executors. */
    static ModelSpec spec(Path weights) {
        SparkSegmentCommand command = new SparkSegmentCommand();
        new picocli.CommandLine(command).parseArgs("--weights", weights.toString(), "photos");
        return ModelSpec.of(command.model, command.inference);
    }

    private static SparkSession session(String master) {
        return SparkSession.builder().master(master).appName("test").config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @Test
    void sparkSegmentWritesTheSameLabelsAsSegmentPixelForPixelAndAnErrorRowForTheCorruptImage() {
        Path single = dir.resolve("single");
        // segment's model-loading flags, one of which (align_corners=False for the last upsampling, the file says True)
        // changes the labels.
        List<String> modelFlags = List.of("--weights", weights.toString(), "--backbone", "resnet18", "--head", "danet",
                "--no-align-corners");
        // The single-process command segments the good images and exits 2 for the corrupt one.
        assertEquals(2, Main.run(args("segment", modelFlags, photos.toString(), "--out", single.toString())));
        Path out = dir.resolve("spark");
        assertEquals(0, SparkMain.run(args("segment", modelFlags, "--master", "local[2]", photos.toString(), "--out",
                out.toString())));

        Map<String, int[]> expected = labels(single);
        Map<String, int[]> got = labels(out.resolve("labels"));
        assertEquals(SCENES, expected.size());
        // The comparison tells models apart only where the random model predicts several classes,
        assertTrue(expected.values().stream().flatMapToInt(java.util.Arrays::stream).distinct().count() > 1);
        // and tells the flag's effect apart only where it changes the labels.
        Path plain = dir.resolve("plain");
        assertEquals(2, Main.run("segment", "--weights", weights.toString(), photos.toString(), "--out",
                plain.toString()));
        Map<String, int[]> withoutFlag = labels(plain);
        assertTrue(expected.keySet().stream().anyMatch(s -> !java.util.Arrays.equals(expected.get(s),
                withoutFlag.get(s))), "--no-align-corners changes some label");
        assertEquals(expected.keySet(), got.keySet());
        expected.forEach((stem, values) -> assertArrayEquals(values, got.get(stem), stem));

        SparkSession spark = session("local[1]");
        try {
            List<Row> rows = spark.read().parquet(out.resolve("images").toString()).collectAsList();
            assertEquals(SCENES + 1, rows.size());
            long[] classPixels = new long[19];
            int[] classImages = new int[19];
            for (Row row : rows) {
                String path = row.getAs("path");
                if (path.endsWith("broken.png")) {
                    assertNull(row.getAs("width"));
                    assertTrue(((String) row.getAs("error")).contains("broken.png"), (String) row.getAs("error"));
                    continue;
                }
                assertNull(row.getAs("error"), path);
                String stem = path.substring(path.indexOf("/val/") + 5, path.length() - ".png".length());
                long[] counts = LabelPng.classPixels(expected.get(stem), 19);
                for (int c = 0; c < 19; c++) {
                    assertEquals(counts[c], row.getLong(3 + c), stem + " class " + c);
                    assertEquals(counts[c] / (48.0 * 80), row.getDouble(3 + 19 + c), 1e-12, stem + " class " + c);
                    classPixels[c] += counts[c];
                    classImages[c] += counts[c] > 0 ? 1 : 0;
                }
            }
            List<Row> stats = spark.read().parquet(out.resolve("class-stats").toString()).orderBy("class")
                    .collectAsList();
            assertEquals(19, stats.size());
            for (int c = 0; c < 19; c++) {
                assertEquals(classPixels[c], stats.get(c).<Long>getAs("pixels"), "class " + c);
                assertEquals(classImages[c], stats.get(c).<Long>getAs("images"), "class " + c);
                assertEquals(classPixels[c] / (SCENES * 48.0 * 80), stats.get(c).<Double>getAs("pixel_share"), 1e-12);
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void sparkEvalWritesTheSameMetricsAndConfusionAsEval() throws Exception {
        Path single = dir.resolve("single");
        // eval's flags beyond segment's: the reference's stride and details.
        List<String> flags = List.of("--weights", weights.toString(), "--data", data.toString(), "--stride-ratio",
                "0.5", "--reference-exact");
        assertEquals(0, Main.run(args("eval", flags, "--out", single.toString())));
        Path out = dir.resolve("spark");
        assertEquals(0, SparkMain.run(args("eval", flags, "--master", "local[2]", "--partitions", "4", "--out",
                out.toString())));

        assertEquals(Files.readString(single.resolve(ReportFiles.CONFUSION)),
                Files.readString(out.resolve(ReportFiles.CONFUSION)));
        JsonNode expected = ReportFiles.read(single.resolve(ReportFiles.METRICS));
        JsonNode got = ReportFiles.read(out.resolve(ReportFiles.METRICS));
        assertEquals(SCENES, got.get("dataset").get("images").asInt());
        ((ObjectNode) expected).remove("timing");
        ((ObjectNode) got).remove("timing");
        assertEquals(expected, got);
    }

    @Test
    void aModelFileThatIsMissingOrAnOutputInsideTheInputIsExitCode2BeforeAnyTask() {
        Path out = dir.resolve("out");
        assertEquals(2, SparkMain.run("segment", "--master", "local[1]", "--weights", dir.resolve("none.danet")
                .toString(), photos.toString(), "--out", out.toString()));
        assertEquals(2, SparkMain.run("segment", "--master", "local[1]", "--weights", weights.toString(),
                photos.toString(), "--out", photos.resolve("out").toString()));
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(photos.resolve("out")));
    }

    @Test
    void everyPartitionIsATaskOfItsOwnAndEachTaskSlotLoadsTheModelOnce() throws Exception {
        // A model file of this test's own, so that the JVM's pool counts this test's loads alone.
        ModelSpec model = spec(Files.copy(weights, dir.resolve("own.danet")));
        SparkSession spark = session("local[2]");
        // Every image a partition of its own: many more partitions than the two slots.
        spark.conf().set("spark.sql.files.maxPartitionBytes", "1");
        // Tasks in each stage that reads the image files (and so segments them, unless it reads the cache).
        List<Integer> scanningStageTasks = new java.util.concurrent.CopyOnWriteArrayList<>();
        spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted done) {
                if (done.stageInfo().rddInfos().exists(rdd -> rdd.name().contains("FileScanRDD"))) {
                    scanningStageTasks.add(done.stageInfo().numTasks());
                }
            }
        });
        try {
            SegmentJob.Summary summary = SegmentJob.run(spark, new SegmentJob.Request(photos.toString(),
                    dir.resolve("out").toString(), SegmentJob.Format.CSV, model, new ImageLimits(), 0));
            assertEquals(SCENES + 1, summary.images());
            spark.sparkContext().listenerBus().waitUntilEmpty();
            // Not one task running every partition's inference in turn (as a coalesced write would).
            assertFalse(scanningStageTasks.isEmpty());
            assertTrue(scanningStageTasks.stream().allMatch(n -> n == SCENES + 1), scanningStageTasks.toString());
            // The driver's check borrows one first and gives it back: still at most one model per slot.
            int loads = ExecutorModels.loads(model);
            assertTrue(loads >= 1 && loads <= 2, "models loaded for 2 slots and " + (SCENES + 1) + " tasks: " + loads);
        } finally {
            spark.stop();
        }
    }

    @Test
    void aTaskThatDiesIsRetriedAndLeavesEveryOutputOnceAndAReRunIsSafe() throws Exception {
        Path out = dir.resolve("retried");
        ModelSpec model = spec(weights);
        // local[2,2]: two task slots, a task may fail once; the hook kills partition 0's first attempt.
        SparkSession spark = session("local[2,2]");
        java.util.concurrent.atomic.AtomicInteger failedTasks = new java.util.concurrent.atomic.AtomicInteger();
        spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                if (end.reason() instanceof org.apache.spark.ExceptionFailure) {
                    failedTasks.incrementAndGet();
                }
            }
        });
        try {
            for (int run = 0; run < 2; run++) {
                SegmentJob.Summary summary = SegmentJob.run(spark, new SegmentJob.Request(photos.toString(),
                        out.toString(), SegmentJob.Format.CSV, model, new ImageLimits(), 1));
                assertEquals(SCENES + 1, summary.images());
                assertEquals(1, summary.failed());
                List<String> labelFiles = SparkFixtures.files(out.resolve("labels"));
                assertEquals(SCENES, labelFiles.size(), labelFiles.toString());
                assertTrue(labelFiles.stream().allMatch(f -> f.endsWith(LabelPng.SUFFIX)), labelFiles.toString());
                List<Row> rows = spark.read().option("header", "true").csv(out.resolve("images").toString())
                        .collectAsList();
                Set<String> paths = new HashSet<>();
                rows.forEach(r -> paths.add(r.getAs("path")));
                assertEquals(SCENES + 1, rows.size());
                assertEquals(SCENES + 1, paths.size());
            }
            assertFalse(SparkFixtures.files(out).stream().anyMatch(f -> f.endsWith(".tmp")));
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(2, failedTasks.get(), "the hook killed one task in each run");
        } finally {
            spark.stop();
        }
    }
}
