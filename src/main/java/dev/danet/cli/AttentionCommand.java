package dev.danet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.DanetException;
import dev.danet.data.ClassSet;
import dev.danet.data.ImageDecoder;
import dev.danet.data.RgbImage;
import dev.danet.inference.AttentionFeatures;
import dev.danet.inference.CamChannels;
import dev.danet.inference.ImageSegmenter;
import dev.danet.inference.InferenceOptions;
import dev.danet.inference.LoadedModel;
import dev.danet.io.AtomicFiles;
import dev.danet.viz.HeatMap;
import dev.danet.viz.Images;
import dev.danet.viz.LabelImages;
import dev.danet.viz.Legend;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The paper's attention pictures for chosen pixels of one image. */
@Command(name = "attention",
        mixinStandardHelpOptions = true,
        description = {
            "Show DANet's attention at chosen pixels: PAM heat maps, CAM channel maps, a legend.",
            "",
            "For each point: pointN_pam.png, its row of the position attention map (which pixels it draws from) "
                    + "as a heat map on the photo, and pointN_camR_chC.png, the CAM output channels most active there. "
                    + "Also class_K_NAME_chC.png (for each predicted class, the CAM channel that best separates it), "
                    + "overlay.png (the segmentation with the points marked), legend.png and attention.json. Without "
                    + "--weights, the DANet that `./danet demo` trains is used.",
            "",
            "Example: ./danet attention street.png --points 40,100 200,60 \\",
            "           --out out/attention"
        })
final class AttentionCommand implements Callable<Integer> {

    /** Marker colours for the points, in order (repeating). */
    private static final int[] MARKERS = {0xffffff, 0x00e5ff, 0x76ff03, 0xff4081, 0xffd400, 0xb388ff};
    private static final int MAX_CLASS_MAPS = 8;

    @Mixin
    TrainedModelOptions model;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image.")
    Path image;

    @Option(names = "--points", required = true, arity = "1..*", paramLabel = "X,Y",
            description = "Pixels to explain, in image coordinates (x to the right, y down, from 0).")
    List<String> points;

    @Option(names = "--out", defaultValue = "out/attention", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--channels", defaultValue = "3", paramLabel = "K",
            description = "CAM channel maps per point (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--size", defaultValue = "512", paramLabel = "N",
            description = "Long side the image is resized to (if larger) for the attention pass (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--crop", defaultValue = "512", paramLabel = "N",
            description = "Sliding-window side for the segmentation shown in overlay.png (default: ${DEFAULT-VALUE}).")
    int crop;

    @Option(names = "--max-pixels", defaultValue = "25000000", paramLabel = "N",
            description = "Refuse images with more pixels than this, from the header (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Override
    public Integer call() {
        if (channels < 0 || size < 16 || crop < 1 || maxPixels < 1) {
            throw new DanetException("--channels must be >= 0, --size >= 16, --crop and --max-pixels positive");
        }
        List<int[]> xy = parsePoints();
        RgbImage photo = ImageDecoder.readRgb(image, maxPixels);
        for (int[] p : xy) {
            if (p[0] >= photo.width() || p[1] >= photo.height()) {
                throw new DanetException("--points " + p[0] + "," + p[1] + " is outside " + image + " ("
                        + photo.width() + "x" + photo.height() + ")");
            }
        }
        try (LoadedModel loaded = LoadedModel.load(model.weightsFile(), model.toLoaderOptions(), System.err)) {
            if (!loaded.network().config().head().usesPositionAttention()
                    && !loaded.network().config().head().usesChannelAttention()) {
                throw new DanetException(loaded.weights() + ": the model has an " + loaded.network().config().head().id()
                        + " head, which has no attention modules to show; use a danet, pam or cam model");
            }
            System.err.println("model: " + loaded.network().config().describe());
            ImageSegmenter.Result segmentation = new ImageSegmenter(loaded.network(), loaded.card().normalization(),
                    InferenceOptions.singleScale(crop))
                    .segment(photo, ImageSegmenter.Scores.NONE);
            AttentionFeatures features = AttentionFeatures.compute(loaded.network(), loaded.card().normalization(), photo, size);
            write(loaded, photo, segmentation.labels(), features, xy);
        }
        return 0;
    }

    private void write(LoadedModel loaded, RgbImage photo, int[] labels, AttentionFeatures features, List<int[]> xy) {
        ClassSet classes = loaded.classes();
        BufferedImage picture = Images.toBufferedImage(photo);
        BufferedImage overlay = Images.overlay(picture, labels, classes, 0.6f);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode report = json.createObjectNode();
        report.put("image", image.toString());
        report.put("model", loaded.network().config().describe());
        report.put("width", photo.width());
        report.put("height", photo.height());
        report.put("gridWidth", features.width());
        report.put("gridHeight", features.height());
        ArrayNode pointsJson = report.putArray("points");
        List<Legend.Entry> entries = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < xy.size(); i++) {
            int x = xy.get(i)[0];
            int y = xy.get(i)[1];
            Color marker = new Color(MARKERS[i % MARKERS.length]);
            int cell = features.cellAt(x, y);
            ObjectNode pj = pointsJson.addObject();
            pj.put("x", x);
            pj.put("y", y);
            pj.put("cell", cell);
            pj.put("predicted", classes.names().get(labels[y * photo.width() + x]));
            String prefix = "point" + (i + 1);
            if (features.hasPositionAttention()) {
                float[] row = features.positionAttentionRow(loaded.network(), cell);
                double sum = 0;
                float max = 0;
                for (float v : row) {
                    sum += v;
                    max = Math.max(max, v);
                }
                pj.put("pamRowSum", sum);
                pj.put("pamRowMax", max);
                BufferedImage heat = HeatMap.overlay(picture, row, features.height(), features.width(),
                        HeatMap.Scaling.FROM_ZERO, 0.7f);
                HeatMap.mark(heat, x, y, marker);
                files.add(save(prefix + "_pam.png", heat));
                pj.put("pam", prefix + "_pam.png");
            }
            if (features.hasChannelAttention()) {
                ArrayNode cams = pj.putArray("cam");
                int rank = 1;
                for (CamChannels.Pick pick : CamChannels.strongestAt(features, cell, channels)) {
                    BufferedImage map = HeatMap.overlay(picture, features.channelMap(pick.channel()), features.height(),
                            features.width(), HeatMap.Scaling.MIN_MAX, 0.7f);
                    HeatMap.mark(map, x, y, marker);
                    String file = prefix + "_cam" + rank++ + "_ch" + pick.channel() + ".png";
                    files.add(save(file, map));
                    cams.addObject().put("channel", pick.channel()).put("activation", pick.score()).put("file", file);
                }
            }
            HeatMap.mark(overlay, x, y, marker);
            entries.add(new Legend.Entry(MARKERS[i % MARKERS.length], String.format(Locale.ROOT,
                    "point %d at (%d, %d), predicted %s: %s_pam.png, %s_cam*.png", i + 1, x, y,
                    pj.get("predicted").asText(), prefix, prefix)));
        }
        if (features.hasChannelAttention()) {
            ArrayNode byClass = report.putArray("classChannels");
            List<CamChannels.Pick> picks = CamChannels.byClass(features, CamChannels.labelsAtCells(features, labels),
                    classes.size());
            for (CamChannels.Pick pick : picks.subList(0, Math.min(MAX_CLASS_MAPS, picks.size()))) {
                String name = classes.names().get(pick.label());
                String file = "class_" + pick.label() + "_" + name.replaceAll("[^A-Za-z0-9]+", "-") + "_ch"
                        + pick.channel() + ".png";
                files.add(save(file, HeatMap.overlay(picture, features.channelMap(pick.channel()), features.height(),
                        features.width(), HeatMap.Scaling.MIN_MAX, 0.7f)));
                byClass.addObject().put("class", name).put("channel", pick.channel()).put("contrast", pick.score())
                        .put("file", file);
            }
        }
        files.add(save("overlay.png", overlay));
        entries.add(new Legend.Entry(null, "pointN_pam.png: row of the position attention map (sums to 1)"));
        entries.add(new Legend.Entry(null, "pointN_camR_chC.png / class_*.png: CAM output channel C, min..max"));
        entries.add(new Legend.Entry(null, String.format(Locale.ROOT, "feature grid %dx%d; model: %s",
                features.width(), features.height(), loaded.network().config().describe())));
        long[] counts = LabelImages.counts(labels, classes.size());
        files.add(save("legend.png", Legend.draw("DANet attention for " + image.getFileName(),
                "little attention / low activation", "most attention / high activation", entries, classes, counts)));
        byte[] body;
        try {
            body = json.writeValueAsBytes(report);
        } catch (java.io.IOException e) {
            throw new DanetException("cannot write attention.json: " + e.getMessage(), e);
        }
        AtomicFiles.write(out.resolve("attention.json"), o -> o.write(body));
        System.out.println("wrote " + (files.size() + 1) + " files to " + out + " (legend.png explains them)");
    }

    private String save(String file, BufferedImage picture) {
        Images.writePng(out.resolve(file), picture);
        return file;
    }

    private List<int[]> parsePoints() {
        List<int[]> parsed = new ArrayList<>();
        for (String text : points) {
            String[] parts = text.split(",");
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                int x = Integer.parseInt(parts[0].trim());
                int y = Integer.parseInt(parts[1].trim());
                if (x < 0 || y < 0) {
                    throw new NumberFormatException();
                }
                parsed.add(new int[] {x, y});
            } catch (NumberFormatException e) {
                throw new DanetException("--points wants X,Y pixel coordinates (whole numbers from 0), got '" + text + "'");
            }
        }
        return parsed;
    }
}
