package dev.danet.spark;

import dev.danet.DanetException;
import dev.danet.data.ImageDecoder;
import dev.danet.data.RgbImage;
import dev.danet.inference.ImageSegmenter;
import dev.danet.inference.InferenceOptions;
import dev.danet.inference.LoadedModel;
import dev.danet.inference.WindowBudget;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Segments one partition of image files (rows of Spark's binaryFile source) with the executor's
 * model, writes each label PNG and gives one row per image: its size and pixels per class, or
 * the error that kept it from being segmented. A bad image is a row, never a failed task.
 */
final class SegmentTask implements MapPartitionsFunction<Row, Row> {

    /** One row per image; pixels per class as an array (the driver spreads it into named columns). */
    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("width", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("pixels", DataTypes.createArrayType(DataTypes.LongType, false), true)
            .add("seconds", DataTypes.DoubleType, false)
            .add("error", DataTypes.StringType, true);

    private final SegmentSettings settings;

    SegmentTask(SegmentSettings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> files) {
        ModelPool<ExecutorModels.Key, LoadedModel>.Lease lease = ExecutorModels.forTask(settings.model());
        LoadedModel model = lease.model();
        InferenceOptions options = settings.model().options(model.card());
        ImageSegmenter segmenter = new ImageSegmenter(model.network(), model.card().normalization(), options);
        WindowBudget budget = settings.limits().windows(options);
        OutputFolder labels = new OutputFolder(settings.labels(), settings.hadoop());
        TaskContext task = TaskContext.get();
        boolean injectFailure = settings.failFirstAttemptAfter() > 0 && task.partitionId() == 0
                && task.attemptNumber() == 0;
        return new Iterator<>() {
            private int done;

            @Override
            public boolean hasNext() {
                if (files.hasNext()) {
                    return true;
                }
                lease.close(); // the partition is done: the slot's next partition may have the model
                return false;
            }

            @Override
            public Row next() {
                if (injectFailure && done == settings.failFirstAttemptAfter()) {
                    throw new IllegalStateException("test hook: first attempt of partition 0 dies after " + done
                            + " image(s)");
                }
                Row file = files.next();
                done++;
                return segment(file.getAs("path"), file.getAs("content"), segmenter, budget, labels, model,
                        task.taskAttemptId());
            }
        };
    }

    private Row segment(String path, byte[] content, ImageSegmenter segmenter, WindowBudget budget,
            OutputFolder labels, LoadedModel model, long attempt) {
        long start = System.nanoTime();
        try {
            RgbImage photo = ImageDecoder.decodeRgb(path, content, settings.limits().maxPixels());
            budget.check(path, photo.width(), photo.height());
            ImageSegmenter.Result result = segmenter.segment(photo, ImageSegmenter.Scores.NONE);
            labels.write(stem(path) + LabelPng.SUFFIX, LabelPng.encode(result, model.classes()), attempt);
            List<Long> pixels = Arrays.stream(LabelPng.classPixels(result.labels(), result.classes())).boxed().toList();
            // An array column's value in a Row is a Scala Seq.
            return RowFactory.create(path, photo.width(), photo.height(), CollectionConverters.asScala(pixels).toSeq(),
                    seconds(start), null);
        } catch (DanetException e) {
            return RowFactory.create(path, null, null, null, seconds(start), e.getMessage());
        }
    }

    /** The file's path below the input folder without its extension, as `./danet segment` names outputs. */
    String stem(String path) {
        String root = settings.inputRoot().endsWith("/") ? settings.inputRoot() : settings.inputRoot() + "/";
        String relative = path.startsWith(root) ? path.substring(root.length()) : path.substring(path.lastIndexOf('/') + 1);
        int dot = relative.lastIndexOf('.');
        return dot > relative.lastIndexOf('/') + 1 ? relative.substring(0, dot) : relative;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
