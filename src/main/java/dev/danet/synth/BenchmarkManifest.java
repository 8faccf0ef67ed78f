package dev.danet.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.data.CityscapesLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A context benchmark's {@code benchmark.json}: the options, the rule and the cue, the classes,
 * and per split the balance, pixel frequencies and the local oracle's best accuracy on the
 * context-decided pixels; then every image's pair, cue, class and objects.
 *
 * <p>The local oracle is computed from the twins: a classifier that sees only the context-decided
 * objects sees the same pixels in both images of a pair (the tests check this pixel by pixel), so
 * its best accuracy is the majority label's share per pair, summed (see {@link LocalOracle}).
 */
final class BenchmarkManifest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchmarkManifest() {}

    static byte[] json(ContextBenchmark benchmark, int version, SyntheticScenes.Options options,
                       List<ContextBenchmarks.ImageRecord> records) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generator", ContextBenchmarks.class.getName());
        root.put("generatorVersion", version);
        root.put("benchmark", benchmark.id());
        root.put("kind", benchmark.kind());
        root.put("rule", benchmark.rule());
        root.put("cue", benchmark.cue());
        root.set("options", JSON.valueToTree(options));
        root.put("layout", "cityscapes");
        root.put("city", benchmark.id());
        root.put("labels", "Cityscapes labelIds in *" + CityscapesLayout.LABEL_IDS_SUFFIX + "; 0 is void (ignored)");
        root.put("twins", "images 2k and 2k+1 are the same scene with the cue flipped");
        ManifestJson.putClasses(root);
        ArrayNode contextClasses = root.putArray("contextClasses");
        benchmark.contextClasses().forEach(c -> contextClasses.add(c.cityscapesName()));
        ObjectNode distances = root.putObject("distances");
        if (benchmark.street()) {
            distances.put("skyGapOfHeight", StreetBenchmarkPainter.SKY_GAP);
            distances.put("signGapOfWidth", StreetBenchmarkPainter.SIGN_GAP);
            distances.put("busGapOfWidth", StreetBenchmarkPainter.BUS_GAP);
        } else {
            distances.put("innerRadiusPixels", ScaleScenePainter.INNER_RADIUS);
            distances.put("minSizePixels", ScaleScenePainter.MIN_SIZE);
            distances.put("maxSizeOfHeight", ScaleScenePainter.MAX_SIZE);
        }
        ObjectNode splits = root.putObject("splits");
        for (String split : SyntheticScenes.SPLITS) {
            List<ContextBenchmarks.ImageRecord> rows = records.stream().filter(r -> r.split().equals(split)).toList();
            splits.set(split, splitSummary(benchmark, rows));
        }
        ArrayNode images = root.putArray("images");
        for (ContextBenchmarks.ImageRecord r : records) {
            images.add(image(r));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode splitSummary(ContextBenchmark benchmark, List<ContextBenchmarks.ImageRecord> rows) {
        ObjectNode n = JSON.createObjectNode();
        n.put("images", rows.size());
        ManifestJson.putFrequencies(n.putObject("pixelFrequencies"),
                rows.stream().map(ContextBenchmarks.ImageRecord::counts).toList());
        if (benchmark.street()) {
            ObjectNode byClass = n.putObject("imagesByVehicleClass");
            for (SyntheticClass c : List.of(SyntheticClass.CAR, SyntheticClass.TRUCK)) {
                byClass.put(c.cityscapesName(), rows.stream().filter(r -> r.contextClass() == c).count());
            }
        }
        oracles(benchmark, rows, n.putObject("localOracle"));
        return n;
    }

    /** The local oracle's best accuracy on the pixels the benchmark is about, from the twins. */
    private static void oracles(ContextBenchmark benchmark, List<ContextBenchmarks.ImageRecord> rows, ObjectNode out) {
        if (benchmark.street()) {
            LocalOracle vehicles = new LocalOracle();
            for (ContextBenchmarks.ImageRecord r : rows) {
                int label = r.contextClass().labelId();
                vehicles.add(Integer.toString(r.pair()), label, r.counts()[label]);
            }
            out.put("pixels", "the vehicles' (car and truck) pixels; key: the twin pair, whose two images show them alike");
            out.put("vehiclePixels", vehicles.pixels());
            out.put("bestAccuracy", vehicles.bestAccuracy());
            return;
        }
        LocalOracle inner = new LocalOracle();
        LocalOracle all = new LocalOracle();
        for (ContextBenchmarks.ImageRecord r : rows) {
            List<BenchmarkObject> objects = r.objects();
            for (int k = 0; k < objects.size(); k++) {
                BenchmarkObject o = objects.get(k);
                int label = o.label().labelId();
                long pixels = r.objectPixels()[k];
                String pairKey = r.pair() + "/" + k;
                inner.add(pairKey, label, o.innerPixels());
                all.add(pairKey, label, o.innerPixels());
                // nearer the outline the oracle sees it: those pixels are its own key, right every time
                all.add(r.index() + "/" + k, label, pixels - o.innerPixels());
            }
        }
        out.put("pixels", "shape pixels more than " + ScaleScenePainter.INNER_RADIUS
                + " px inside both twins' outlines; key: the twin pair and the shape, which look alike there");
        out.put("innerPixels", inner.pixels());
        out.put("bestAccuracy", inner.bestAccuracy());
        out.put("shapePixels", all.pixels());
        out.put("bestAccuracyOnAllShapePixels", all.bestAccuracy());
    }

    private static ObjectNode image(ContextBenchmarks.ImageRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("split", r.split());
        n.put("index", r.index());
        n.put("pair", r.pair());
        n.put("cue", r.cue());
        if (r.contextClass() != null) {
            n.put("vehicleClass", r.contextClass().cityscapesName());
            n.put("vehiclePixels", r.counts()[r.contextClass().labelId()]);
        }
        ArrayNode objects = n.putArray("objects");
        for (int k = 0; k < r.objects().size(); k++) {
            BenchmarkObject o = r.objects().get(k);
            ObjectNode on = objects.addObject();
            on.put("kind", o.kind().text());
            on.put("class", o.label().cityscapesName());
            on.put("contextDecided", o.contextDecided());
            ArrayNode box = on.putArray("box");
            for (int v : o.box()) {
                box.add(v);
            }
            on.put("size", o.size());
            if (o.paint() >= 0) {
                on.put("paint", String.format("#%06x", o.paint()));
            }
            on.put("pixels", r.objectPixels()[k]);
            if (o.kind() == BenchmarkObject.Kind.DISC || o.kind() == BenchmarkObject.Kind.SQUARE) {
                on.put("innerPixels", o.innerPixels());
            }
        }
        return n;
    }
}
