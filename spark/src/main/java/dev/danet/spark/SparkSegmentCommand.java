package dev.danet.spark;

import dev.danet.DanetException;
import dev.danet.cli.ImageLimits;
import dev.danet.cli.InferenceFlags;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `danet spark segment`: see {@link SegmentJob}. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {
            "Segment every image below a folder (any Hadoop path: local, hdfs://, s3a://) on Spark.",
            "",
            "Writes OUT/labels/NAME_label.png per image (as ./danet segment), OUT/images (one row per image: path, size,"
                    + " pixels and fraction per class, seconds, error) and OUT/class-stats (per class: pixels, pixel share,"
                    + " images containing it), as Parquet or CSV. A bad image is a row with its error. Re-running into"
                    + " the same OUT replaces the earlier outputs.",
            "",
            "Example: ./danet spark segment photos/ --weights model.danet --out out/spark-segment"
        })
final class SparkSegmentCommand implements Callable<Integer> {

    @Mixin
    SparkOptions spark;

    @Mixin
    SparkModelOptions model;

    @Mixin
    InferenceFlags inference;

    @Mixin
    ImageLimits limits;

    @Parameters(paramLabel = "FOLDER", description = "Folder of images, searched recursively.")
    String input;

    @Option(names = "--out", defaultValue = "out/spark-segment", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "parquet|csv",
            description = "Format of the two tables (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        SegmentJob.Format tableFormat = switch (format.toLowerCase(Locale.ROOT)) {
            case "parquet" -> SegmentJob.Format.PARQUET;
            case "csv" -> SegmentJob.Format.CSV;
            default -> throw new DanetException("--format must be parquet or csv, got " + format);
        };
        limits.maxPixels(); // flag errors before the session starts
        SegmentJob.Request request = new SegmentJob.Request(input, out, tableFormat, ModelSpec.of(model, inference),
                limits, 0);
        SparkSession session = spark.session("segment");
        try {
            SegmentJob.Summary summary = SegmentJob.run(session, request);
            System.out.printf(Locale.ROOT, "segmented %d image(s), %d with an error row, in %.1f s (%.2f s/image)"
                    + " into %s%n", summary.images() - summary.failed(), summary.failed(), summary.seconds(),
                    summary.seconds() / Math.max(1, summary.images()), out);
        } finally {
            session.stop();
        }
        return 0;
    }
}
