package dev.danet.train;

import dev.danet.IoProblems;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.DanetException;
import dev.danet.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metrics log: one JSON object per line, for every step ("type": "step") and every
 * validation ("type": "validation"). Resuming drops the lines past the checkpoint, so the log
 * of a resumed run reads as one uninterrupted run.
 */
public final class TrainingLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<JsonNode> entries = new ArrayList<>();
    private final OutputStream writer;

    /** Opens the log, keeping only the entries up to and including keepUpTo (0: start afresh). */
    public TrainingLog(Path file, int keepUpTo) {
        this.file = file;
        if (keepUpTo > 0 && Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    try {
                        JsonNode node = JSON.readTree(line);
                        if (node != null && node.path("iteration").asInt() <= keepUpTo) {
                            entries.add(node);
                        }
                    } catch (IOException partialLine) {
                        // a line cut short by a crash: it is past the checkpoint anyway
                    }
                }
            } catch (IOException e) {
                throw new DanetException(file + ": cannot read the training log: " + IoProblems.reason(e), e);
            }
        }
        AtomicFiles.write(file, out -> {
            for (JsonNode entry : entries) {
                out.write((entry.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        try {
            writer = Files.newOutputStream(file, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new DanetException(file + ": cannot open the training log: " + IoProblems.reason(e), e);
        }
    }

    public void step(StepRecord r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "step");
        node.put("iteration", r.iteration());
        node.put("loss", r.loss());
        node.set("output_losses", JSON.valueToTree(r.outputLosses().values()));
        node.put("lr", r.lr());
        node.put("seconds", r.seconds());
        node.put("data_seconds", r.dataSeconds());
        node.put("images_per_second", r.imagesPerSecond());
        node.put("grad_norm", r.gradNorm());
        append(node);
    }

    /** A diagnostics line ("type": "diagnostics"; see {@link TrainingDiagnostics}). */
    void diagnostics(TrainingDiagnostics.Line d) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "diagnostics");
        node.put("iteration", d.iteration());
        node.put("reason", d.reason());
        node.put("lr", d.lr());
        node.put("head_lr", d.headLr());
        node.put("grad_norm", d.gradNorm());
        node.put("clip_factor", d.clipFactor());
        node.set("losses", JSON.valueToTree(d.losses()));
        node.set("grad_norms", JSON.valueToTree(d.gradNorms()));
        node.set("grad_norm_parts", JSON.valueToTree(d.gradNormParts()));
        node.set("weight_norms", JSON.valueToTree(d.weightNorms()));
        node.set("scalars", JSON.valueToTree(d.scalars()));
        node.set("attention", JSON.valueToTree(d.attention()));
        node.put("seconds", d.seconds());
        append(node);
    }

    public void validation(int iteration, Map<String, Double> metrics) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "validation");
        node.put("iteration", iteration);
        metrics.forEach(node::put);
        append(node);
    }

    /** The metrics of the validation logged at an iteration, if there is one (a resumed run may have it). */
    public Optional<Map<String, Double>> validationAt(int iteration) {
        for (JsonNode entry : entries) {
            if ("validation".equals(entry.path("type").asText()) && entry.path("iteration").asInt() == iteration) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                entry.fields().forEachRemaining(field -> {
                    if (field.getValue().isNumber() && !field.getKey().equals("iteration")) {
                        metrics.put(field.getKey(), field.getValue().asDouble());
                    }
                });
                return Optional.of(metrics);
            }
        }
        return Optional.empty();
    }

    /** Every entry so far, oldest first. */
    public List<JsonNode> entries() {
        return List.copyOf(entries);
    }

    public Path file() {
        return file;
    }

    private void append(JsonNode node) {
        entries.add(node);
        try {
            // One write per line, unbuffered: a kill can cut at most the line being written, and
            // a resumed run drops it (with everything past its checkpoint).
            writer.write((node.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DanetException(file + ": cannot write the training log: " + IoProblems.reason(e), e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new DanetException(file + ": cannot close the training log: " + IoProblems.reason(e), e);
        }
    }
}
