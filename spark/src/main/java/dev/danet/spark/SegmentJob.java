package dev.danet.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.danet.DanetException;
import dev.danet.cli.ImageLimits;
import dev.danet.data.ClassSet;
import dev.danet.inference.LoadedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobFilter;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * `danet spark segment`: segments every image below a folder on any Hadoop file system and
 * writes, under the output folder, labels/ (NAME_label.png per image, as `./danet segment`),
 * images/ (a table, one row per image: path, size, pixels and fraction per class, seconds,
 * error) and class-stats/ (per class: pixels, share of all pixels, images containing it).
 */
public final class SegmentJob {

    /** The image files `./danet segment` reads from a folder (cli.ImageInputs). */
    static final String IMAGE_GLOB = "*.{png,PNG,jpg,JPG,jpeg,JPEG,bmp,BMP,gif,GIF}";

    /** The table formats offered. */
    public enum Format { PARQUET, CSV }

    /**
     * @param input a folder (any Hadoop URI), searched recursively
     * @param out the output folder; re-running into it replaces what an earlier run wrote
     * @param format of the two tables
     * @param model the model and how to run it
     * @param limits larger images, or images that take more model runs, are error rows
     * @param failFirstAttemptAfter test hook, 0 in real runs (see {@link SegmentSettings})
     */
    public record Request(String input, String out, Format format, ModelSpec model, ImageLimits limits,
            int failFirstAttemptAfter) {}

    /** What a run did. */
    public record Summary(long images, long failed, double seconds) {}

    private SegmentJob() {}

    public static Summary run(SparkSession spark, Request request) {
        long start = System.nanoTime();
        // The driver loads the model too: a file that does not load fails the run here, with one line,
        // and its classes name the columns. In local mode the first task then runs this very copy.
        ClassSet classes;
        try (ModelPool<ExecutorModels.Key, LoadedModel>.Lease lease = ExecutorModels.forDriver(request.model())) {
            classes = lease.model().classes();
        }
        String root = qualified(spark, request.input());
        String out = qualified(spark, request.out());
        if (out.startsWith(root + "/") || out.equals(root)) {
            throw new DanetException(request.out() + ": the output folder is inside the input folder " + request.input()
                    + "; its label PNGs would be read as input by the next run");
        }
        requireImages(spark, request.input());
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .option("pathGlobFilter", IMAGE_GLOB).load(request.input());
        SegmentSettings settings = new SegmentSettings(request.model(), root, out + "/labels", request.limits(),
                HadoopSettings.of(spark.sparkContext().hadoopConfiguration()), request.failFirstAttemptAfter());
        Dataset<Row> perImage = files.mapPartitions(new SegmentTask(settings), Encoders.row(SegmentTask.SCHEMA))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // Two passes over the cached rows, inference in the first only: the table, then the sums. The
            // table is written as it was computed, a part file per partition: coalescing it would run every
            // partition's inference in the one task that writes it.
            write(table(perImage, classes), out + "/images", request.format());
            // Every task has run: a temporary label file left now is a killed attempt's.
            new OutputFolder(settings.labels(), settings.hadoop()).removeTemporaries();
            Row totals = perImage.agg(count(lit(1)), classSums(classes.size())).first();
            write(classStatistics(spark, totals, classes).coalesce(1), out + "/class-stats", request.format());
            return new Summary(totals.getLong(0), totals.getLong(0) - totals.getLong(1),
                    (System.nanoTime() - start) / 1e9);
        } finally {
            perImage.unpersist();
        }
    }

    /** The per-image table: the pixel array spread into a count and a fraction column per class. */
    static Dataset<Row> table(Dataset<Row> perImage, ClassSet classes) {
        List<String> names = ColumnNames.of(classes.names());
        List<Column> columns = new ArrayList<>(List.of(col("path"), col("width"), col("height")));
        Column area = col("width").cast(DataTypes.DoubleType).multiply(col("height"));
        for (int c = 0; c < names.size(); c++) {
            columns.add(col("pixels").getItem(c).as("pixels_" + names.get(c)));
        }
        for (int c = 0; c < names.size(); c++) {
            columns.add(col("pixels").getItem(c).divide(area).as("fraction_" + names.get(c)));
        }
        columns.add(col("seconds"));
        columns.add(col("error"));
        return perImage.select(columns.toArray(Column[]::new));
    }

    /**
     * Sums over the images segmented (error rows left out): images, pixels, and per class its
     * pixels and the images that contain it.
     */
    static Column[] classSums(int classes) {
        Column ok = col("error").isNull();
        List<Column> sums = new ArrayList<>();
        sums.add(count(when(ok, 1)));
        sums.add(sum(when(ok, col("width").cast(DataTypes.LongType).multiply(col("height")))));
        for (int c = 0; c < classes; c++) {
            sums.add(sum(col("pixels").getItem(c)));
            sums.add(count(when(col("pixels").getItem(c).gt(0), 1)));
        }
        return sums.toArray(Column[]::new);
    }

    /** Per class: pixels, their share of all pixels, and how many images contain the class (from {@link #classSums}, after a count). */
    static Dataset<Row> classStatistics(SparkSession spark, Row totals, ClassSet classes) {
        long allPixels = totals.isNullAt(2) ? 0 : totals.getLong(2);
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            int at = 3 + 2 * c;
            long pixels = totals.isNullAt(at) ? 0 : totals.getLong(at);
            rows.add(RowFactory.create(c, classes.names().get(c), pixels,
                    allPixels > 0 ? (double) pixels / allPixels : Double.NaN, totals.getLong(at + 1)));
        }
        StructType schema = new StructType().add("class", DataTypes.IntegerType).add("name", DataTypes.StringType)
                .add("pixels", DataTypes.LongType).add("pixel_share", DataTypes.DoubleType)
                .add("images", DataTypes.LongType);
        return spark.createDataFrame(rows, schema);
    }

    private static void write(Dataset<Row> table, String path, Format format) {
        // Spark's committer: a retried task's files are committed once, and Overwrite makes re-runs safe.
        table.write().mode(SaveMode.Overwrite).option("header", "true")
                .format(format.name().toLowerCase(Locale.ROOT)).save(path);
    }

    /** Fails with one line when the folder is missing or holds no image (listing stops at the first image). */
    private static void requireImages(SparkSession spark, String folder) {
        try {
            Path p = new Path(folder);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                throw new DanetException(folder + ": no such folder");
            }
            GlobFilter images = new GlobFilter(IMAGE_GLOB);
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(p, true);
            while (files.hasNext()) {
                if (images.accept(files.next().getPath())) {
                    return;
                }
            }
            throw new DanetException(folder + ": no image files below this folder (looked for " + IMAGE_GLOB + ")");
        } catch (IOException e) {
            throw new DanetException(folder + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static String qualified(SparkSession spark, String path) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            String q = fs.makeQualified(p).toString();
            return q.endsWith("/") ? q.substring(0, q.length() - 1) : q;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + path, e);
        }
    }
}
