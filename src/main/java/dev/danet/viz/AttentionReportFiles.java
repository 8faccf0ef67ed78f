package dev.danet.viz;

import dev.danet.IoProblems;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.DanetException;
import dev.danet.data.ClassSet;
import dev.danet.inference.AttentionFeatures;
import dev.danet.inference.AttentionReport;
import dev.danet.inference.CamChannels;
import dev.danet.AtomicFiles;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An {@link AttentionReport} for chosen points as a folder (what `./danet attention` writes): per
 * point pointN_pam.png (its row of the position attention map) and pointN_camR_chC.png (the CAM
 * channels most active there); class_K_NAME_chC.png (the channel that best separates each
 * predicted class); overlay.png (the segmentation, points marked); legend.png; attention.json
 * (the numbers and the file names).
 */
public final class AttentionReportFiles {

    /** Marker colours for the points, in order (repeating). */
    private static final int[] MARKERS = {0xffffff, 0x00e5ff, 0x76ff03, 0xff4081, 0xffd400, 0xb388ff};
    /** Classes whose best-separating channel gets a picture, at most. */
    private static final int MAX_CLASS_MAPS = 8;
    private static final float OVERLAY_OPACITY = 0.6f;

    private final Path out;
    private final List<String> files = new ArrayList<>();

    private AttentionReportFiles(Path out) {
        this.out = out;
    }

    /**
     * Writes the folder; returns the number of files written.
     *
     * @param out the folder
     * @param image the picture's file, for the report and the legend's title
     * @param model the model in words
     * @param report the picture's report
     * @param points the points explained, each from {@link AttentionReport#point}
     */
    public static int write(Path out, Path image, String model, AttentionReport report,
            List<AttentionReport.Point> points) {
        return new AttentionReportFiles(out).writeAll(image, model, report, points);
    }

    private int writeAll(Path image, String model, AttentionReport report, List<AttentionReport.Point> points) {
        ClassSet classes = report.classes();
        AttentionFeatures features = report.features();
        BufferedImage picture = Images.toBufferedImage(report.photo());
        BufferedImage overlay = Images.overlay(picture, report.labels(), classes, OVERLAY_OPACITY);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("image", image.toString());
        root.put("model", model);
        root.put("width", report.photo().width());
        root.put("height", report.photo().height());
        root.put("gridWidth", features.width());
        root.put("gridHeight", features.height());
        ArrayNode pointsJson = root.putArray("points");
        List<Legend.Entry> entries = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            AttentionReport.Point point = points.get(i);
            Color marker = new Color(MARKERS[i % MARKERS.length]);
            ObjectNode pj = pointsJson.addObject();
            pj.put("x", point.x());
            pj.put("y", point.y());
            pj.put("cell", point.cell());
            pj.put("predicted", point.predicted());
            String prefix = "point" + (i + 1);
            if (point.positionRow() != null) {
                double sum = 0;
                float max = 0;
                for (float v : point.positionRow().values()) {
                    sum += v;
                    max = Math.max(max, v);
                }
                pj.put("pamRowSum", sum);
                pj.put("pamRowMax", max);
                pj.put("pam", save(prefix + "_pam.png", AttentionPictures.positionRow(picture, point.positionRow(),
                        marker)));
            }
            if (report.hasChannelAttention()) {
                ArrayNode cams = pj.putArray("cam");
                int rank = 1;
                for (CamChannels.Pick pick : point.strongest()) {
                    BufferedImage map = AttentionPictures.channel(picture, features, pick.channel());
                    HeatMap.mark(map, point.x(), point.y(), marker);
                    String file = save(prefix + "_cam" + rank++ + "_ch" + pick.channel() + ".png", map);
                    cams.addObject().put("channel", pick.channel()).put("activation", pick.score()).put("file", file);
                }
            }
            HeatMap.mark(overlay, point.x(), point.y(), marker);
            entries.add(new Legend.Entry(MARKERS[i % MARKERS.length], String.format(Locale.ROOT,
                    "point %d at (%d, %d), predicted %s: %s_pam.png, %s_cam*.png", i + 1, point.x(), point.y(),
                    point.predicted(), prefix, prefix)));
        }
        if (report.hasChannelAttention()) {
            ArrayNode byClass = root.putArray("classChannels");
            List<CamChannels.Pick> picks = report.classChannels();
            for (CamChannels.Pick pick : picks.subList(0, Math.min(MAX_CLASS_MAPS, picks.size()))) {
                String name = classes.names().get(pick.label());
                String file = save("class_" + pick.label() + "_" + name.replaceAll("[^A-Za-z0-9]+", "-") + "_ch"
                        + pick.channel() + ".png", AttentionPictures.channel(picture, features, pick.channel()));
                byClass.addObject().put("class", name).put("channel", pick.channel()).put("contrast", pick.score())
                        .put("file", file);
            }
        }
        save("overlay.png", overlay);
        entries.add(new Legend.Entry(null, "pointN_pam.png: row of the position attention map (sums to 1)"));
        entries.add(new Legend.Entry(null, "pointN_camR_chC.png / class_*.png: CAM output channel C, min..max"));
        entries.add(new Legend.Entry(null, String.format(Locale.ROOT, "feature grid %dx%d; model: %s",
                features.width(), features.height(), model)));
        save("legend.png", Legend.draw("DANet attention for " + image.getFileName(),
                "little attention / low activation", "most attention / high activation", entries, classes,
                report.counts()));
        byte[] body;
        try {
            body = json.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new DanetException("cannot write attention.json: " + IoProblems.reason(e), e);
        }
        AtomicFiles.write(out.resolve("attention.json"), o -> o.write(body));
        return files.size() + 1;
    }

    private String save(String file, BufferedImage picture) {
        Images.writePng(out.resolve(file), picture);
        files.add(file);
        return file;
    }
}
