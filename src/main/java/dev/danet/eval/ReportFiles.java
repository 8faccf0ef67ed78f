package dev.danet.eval;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.danet.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Writes an evaluation's metrics.json and confusion.csv, each atomically. */
public final class ReportFiles {

    public static final String METRICS = "metrics.json";
    public static final String CONFUSION = "confusion.csv";

    private static final ObjectMapper JSON = mapper();

    private ReportFiles() {}

    /** Writes dir/metrics.json and dir/confusion.csv; returns their paths. */
    public static List<Path> write(Path dir, EvaluationReport report, ConfusionMatrix confusion) {
        Path metrics = dir.resolve(METRICS);
        Path csv = dir.resolve(CONFUSION);
        List<String> names = report.metrics().perClass().stream().map(SegmentationMetrics.ClassMetrics::name).toList();
        AtomicFiles.write(csv, out -> out.write(confusion.toCsv(names).getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(metrics, out -> out.write(json(report).getBytes(StandardCharsets.UTF_8)));
        return List.of(metrics, csv);
    }

    /** The report as indented JSON, NaN scores as null. */
    public static String json(EvaluationReport report) {
        try {
            return JSON.writeValueAsString(report) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the report", e);
        }
    }

    /** Reads a metrics.json back as a tree (for tests and tools). */
    public static com.fasterxml.jackson.databind.JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    private static ObjectMapper mapper() {
        StdSerializer<Double> nanAsNull = new StdSerializer<>(Double.class) {
            @Override
            public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                if (value == null || value.isNaN() || value.isInfinite()) {
                    gen.writeNull();
                } else {
                    gen.writeNumber(value);
                }
            }
        };
        SimpleModule module = new SimpleModule("nan-as-null");
        module.addSerializer(Double.class, nanAsNull);
        module.addSerializer(Double.TYPE, nanAsNull);
        return new ObjectMapper().registerModule(module).enable(SerializationFeature.INDENT_OUTPUT);
    }
}
