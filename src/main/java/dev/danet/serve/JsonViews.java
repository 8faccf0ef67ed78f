package dev.danet.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.data.ClassSet;
import dev.danet.inference.AttentionReport;
import dev.danet.inference.CamChannels;
import dev.danet.process.ProcessMemory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The JSON bodies the service answers with. */
final class JsonViews {

    static final ObjectMapper JSON = new ObjectMapper();

    private JsonViews() {}

    static ObjectNode error(int status, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("status", status);
        node.put("error", message);
        return node;
    }

    static String hex(int rgb) {
        return String.format("#%06x", rgb & 0xffffff);
    }

    /** The classes present, largest first: index, name, colour, pixels, share of the image. */
    static ArrayNode histogram(long[] counts, ClassSet classes) {
        long total = 0;
        List<Integer> present = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            total += counts[i];
            if (counts[i] > 0) {
                present.add(i);
            }
        }
        present.sort(Comparator.comparingLong((Integer i) -> -counts[i]));
        ArrayNode out = JSON.createArrayNode();
        for (int i : present) {
            ObjectNode c = out.addObject();
            c.put("index", i);
            c.put("name", classes.names().get(i));
            c.put("colour", hex(classes.colours()[i]));
            c.put("pixels", counts[i]);
            c.put("fraction", (double) counts[i] / total);
        }
        return out;
    }

    static ObjectNode timing(Analysis.Timing t) {
        ObjectNode node = JSON.createObjectNode();
        node.put("waitSeconds", t.waited());
        node.put("decodeSeconds", t.decode());
        node.put("segmentSeconds", t.segment());
        node.put("attentionSeconds", t.attention());
        node.put("totalSeconds", t.total());
        return node;
    }

    static ObjectNode segmented(SegmentationService.Segmented s, SegmentationService service) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", s.name());
        node.put("width", s.photo().width());
        node.put("height", s.photo().height());
        node.put("model", service.model().network().config().describe());
        node.set("classes", histogram(s.counts(), service.model().classes()));
        node.set("timing", timing(s.timing()));
        return node;
    }

    static ObjectNode analysis(Analysis a) {
        AttentionReport report = a.report();
        ObjectNode node = JSON.createObjectNode();
        node.put("id", a.id());
        node.put("name", a.name());
        node.put("width", report.photo().width());
        node.put("height", report.photo().height());
        ObjectNode pictures = node.putObject("pictures");
        for (String kind : WebServer.PICTURES) {
            pictures.put(kind, "/api/images/" + a.id() + "/" + kind + ".png");
        }
        node.set("classes", histogram(report.counts(), report.classes()));
        ObjectNode attention = node.putObject("attention");
        attention.put("position", report.hasPositionAttention());
        attention.put("channel", report.hasChannelAttention());
        if (report.features() != null) {
            attention.put("gridWidth", report.features().width());
            attention.put("gridHeight", report.features().height());
        }
        ArrayNode channels = attention.putArray("channels");
        ClassSet classes = report.classes();
        for (CamChannels.Pick p : report.channels()) {
            ObjectNode c = channels.addObject();
            c.put("channel", p.channel());
            c.put("label", p.label());
            c.put("className", p.label() >= 0 ? classes.names().get(p.label()) : null);
            c.put("colour", p.label() >= 0 ? hex(classes.colours()[p.label()]) : null);
            c.put("score", p.score());
            c.put("kind", p.label() >= 0 ? "class" : "overall");
        }
        node.set("timing", timing(a.timing()));
        return node;
    }

    static ObjectNode map(float[] values, int gridWidth, int gridHeight) {
        ObjectNode node = JSON.createObjectNode();
        node.put("gridWidth", gridWidth);
        node.put("gridHeight", gridHeight);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        double sum = 0;
        ArrayNode array = node.putArray("values");
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            array.add(v);
        }
        node.put("min", min);
        node.put("max", max);
        node.put("sum", sum);
        return node;
    }

    static ObjectNode attention(AttentionReport.PositionRow row) {
        ObjectNode node = map(row.values(), row.gridWidth(), row.gridHeight());
        node.put("x", row.x());
        node.put("y", row.y());
        node.put("cell", row.cell());
        node.put("cellX", row.cellX());
        node.put("cellY", row.cellY());
        return node;
    }

    static ObjectNode info(SegmentationService service, SampleImages samples) {
        ObjectNode node = JSON.createObjectNode();
        var config = service.model().network().config();
        node.put("model", config.describe());
        node.put("weights", service.model().weights().getFileName().toString());
        node.put("head", config.head().id());
        node.put("positionAttention", service.hasPositionAttention());
        node.put("channelAttention", service.hasChannelAttention());
        ArrayNode classes = node.putArray("classes");
        ClassSet set = service.model().classes();
        for (int i = 0; i < set.size(); i++) {
            ObjectNode c = classes.addObject();
            c.put("index", i);
            c.put("name", set.names().get(i));
            c.put("colour", hex(set.colours()[i]));
        }
        ServeOptions o = service.options();
        ObjectNode limits = node.putObject("limits");
        limits.put("maxUploadBytes", o.maxUploadBytes());
        limits.put("maxPixels", o.maxPixels());
        limits.put("maxWindows", o.windowBudget().maxWindows());
        limits.put("bodyTimeoutSeconds", o.bodyTimeout().toSeconds());
        limits.put("maxInFlight", service.queue().capacity());
        limits.put("maxWaitSeconds", o.maxWait().toSeconds());
        limits.put("cachedImages", o.cacheEntries());
        node.put("inference", o.inference().toString());
        node.put("attentionSide", o.attentionSide());
        ArrayNode names = node.putArray("samples");
        samples.names().forEach(names::add);
        return node;
    }

    /** The default model's queue and cache, the names of all models served, the process's memory. */
    static ObjectNode health(SegmentationService service, List<String> models, double uptimeSeconds) {
        ObjectNode node = JSON.createObjectNode();
        InferenceQueue q = service.queue();
        node.put("status", "ok");
        node.put("model", service.model().network().config().describe());
        ArrayNode names = node.putArray("models");
        models.forEach(names::add);
        node.put("inFlight", q.inFlight());
        node.put("capacity", q.capacity());
        node.put("peakInFlight", q.peak());
        node.put("completed", q.completed());
        node.put("rejected", q.rejected());
        node.put("cachedImages", service.cache().size());
        node.put("cachedMegabytes", service.cache().bytes() / 1e6);
        Runtime rt = Runtime.getRuntime();
        node.put("heapUsedMegabytes", (rt.totalMemory() - rt.freeMemory()) / 1e6);
        node.put("heapCommittedMegabytes", rt.totalMemory() / 1e6);
        long rss = ProcessMemory.residentBytes();
        node.put("residentMegabytes", rss < 0 ? null : rss / 1e6);
        node.put("uptimeSeconds", uptimeSeconds);
        return node;
    }
}
