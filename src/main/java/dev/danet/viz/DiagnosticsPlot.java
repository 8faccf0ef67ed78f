package dev.danet.viz;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The training-diagnostics picture, drawn from a training log's "diagnostics" lines (and its
 * step lines, for the losses): eight small charts over the iterations, in two rows: each output's
 * loss (running mean), gradient norm per part and per module, the attention scalars; PAM's rows
 * on the training batch (same-class mass against chance, largest weight, relative entropy,
 * one-hot share), PAM's energies (spread along a row, query and key norms), CAM's rows, and the
 * head's learning rate with the clip factor.
 */
public final class DiagnosticsPlot {

    private static final int WIDTH = 440;
    private static final int HEIGHT = 330;
    private static final int COLUMNS = 4;
    private static final double AXIS_NUDGE = 1e-3;
    /** Modules drawn in the per-module chart, when present. */
    private static final List<String> MODULES = List.of("pretrained.stem", "pretrained.layer1", "pretrained.layer2",
            "pretrained.layer3", "pretrained.layer4", "head.sa.query_key", "head.sa.value");

    private DiagnosticsPlot() {}

    /** Draws the diagnostics of a training log into a PNG, atomically; nothing when the log has none. */
    public static void write(Path png, List<JsonNode> entries) {
        List<JsonNode> lines = entries.stream().filter(e -> e.path("type").asText().equals("diagnostics")).toList();
        if (lines.isEmpty()) {
            return;
        }
        double lastStep = 0;
        for (JsonNode e : entries) {
            lastStep = Math.max(lastStep, e.path("iteration").asDouble());
        }
        List<XYChart> charts = new ArrayList<>();
        charts.add(losses(entries, lines, lastStep));
        charts.add(fromLines(lines, "gradient norm per part (before clip)", "grad_norm_parts", null, true, lastStep,
                "total", "grad_norm"));
        charts.add(fromLines(lines, "gradient norm per module", "grad_norms", MODULES, true, lastStep, null, null));
        charts.add(fromLines(lines, "attention scalars", "scalars", null, false, lastStep, null, null));
        charts.add(fromLines(lines, "PAM rows (training batch)", "attention",
                List.of("pam_same_class_mass", "pam_chance", "pam_row_max", "pam_relative_entropy", "pam_one_hot",
                        "pam_shared_with_mean"),
                false, lastStep, null, null));
        charts.add(fromLines(lines, "PAM energies Q.K (training batch)", "attention",
                List.of("pam_energy_row_std", "pam_query_norm", "pam_key_norm"), false, lastStep, null, null));
        charts.add(fromLines(lines, "CAM rows (training batch)", "attention",
                List.of("cam_row_max", "cam_relative_entropy"), false, lastStep, null, null));
        charts.add(rateAndClip(lines, lastStep));
        int rows = (charts.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage sheet = new BufferedImage(COLUMNS * WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            int x = (i % COLUMNS) * WIDTH;
            int y = (i / COLUMNS) * HEIGHT;
            XYChart chart = charts.get(i);
            if (chart.getSeriesMap().isEmpty()) {
                // e.g. attention charts of an FCN run
                g.setColor(java.awt.Color.GRAY);
                g.drawString(chart.getTitle() + ": not in this run", x + 20, y + HEIGHT / 2);
            } else {
                g.drawImage(BitmapEncoder.getBufferedImage(chart), x, y, null);
            }
        }
        g.dispose();
        Images.writePng(png, sheet);
    }

    /** Each output's loss per step, as a running mean over 25 steps, named as the diagnostics lines name them. */
    private static XYChart losses(List<JsonNode> entries, List<JsonNode> lines, double lastStep) {
        List<String> names = new ArrayList<>();
        lines.get(0).path("losses").fieldNames().forEachRemaining(names::add);
        List<Double> steps = new ArrayList<>();
        Map<Integer, List<Double>> values = new LinkedHashMap<>();
        for (JsonNode e : entries) {
            if (!e.path("type").asText().equals("step")) {
                continue;
            }
            steps.add(e.path("iteration").asDouble() + AXIS_NUDGE);
            JsonNode terms = e.path("output_losses");
            for (int i = 0; i < terms.size(); i++) {
                values.computeIfAbsent(i, k -> new ArrayList<>()).add(terms.get(i).asDouble());
            }
        }
        XYChart chart = chart("loss per output (mean of 25 steps)", false, lastStep);
        values.forEach((i, v) -> {
            if (v.size() == steps.size()) {
                chart.addSeries(i < names.size() ? names.get(i) : "output " + i, steps,
                        TrainingCurves.runningMean(v, 25)).setMarker(SeriesMarkers.NONE);
            }
        });
        return chart;
    }

    /**
     * One series per field of each line's object {@code field} (only the {@code keys} given, when
     * not null), plus an optional series from a top-level number.
     */
    private static XYChart fromLines(List<JsonNode> lines, String title, String field, List<String> keys, boolean log,
            double lastStep, String extraName, String extraField) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (JsonNode line : lines) {
            double x = line.path("iteration").asDouble() + AXIS_NUDGE;
            JsonNode object = line.path(field);
            Iterator<Map.Entry<String, JsonNode>> it = object.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                if (keys == null || keys.contains(f.getKey())) {
                    add(series, f.getKey(), x, f.getValue().asDouble(), log);
                }
            }
            if (extraField != null) {
                add(series, extraName, x, line.path(extraField).asDouble(), log);
            }
        }
        XYChart chart = chart(title, log, lastStep);
        List<String> order = keys == null ? new ArrayList<>(series.keySet()) : new ArrayList<>(keys);
        if (extraName != null && !order.contains(extraName)) {
            order.add(extraName);
        }
        for (String name : order) {
            List<double[]> points = series.get(name);
            if (points == null || points.isEmpty()) {
                continue;
            }
            chart.addSeries(label(name),
                    points.stream().map(p -> p[0]).toList(), points.stream().map(p -> p[1]).toList())
                    .setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Short legend names (the log's keys are long). */
    static String label(String key) {
        return switch (key) {
            case "pam_same_class_mass" -> "same class";
            case "pam_chance", "chance" -> "chance";
            case "pam_row_max", "cam_row_max" -> "max";
            case "pam_relative_entropy", "cam_relative_entropy" -> "H / ln N";
            case "pam_one_hot" -> "one-hot";
            case "pam_shared_with_mean" -> "overlap";
            case "pam_energy_row_std" -> "energy std (row)";
            case "pretrained.layer1", "pretrained.layer2", "pretrained.layer3", "pretrained.layer4" ->
                "L" + key.charAt(key.length() - 1);
            case "head.sa.query_key" -> "PAM q,k";
            case "head.sa.value" -> "PAM v";
            case "pam_query_norm" -> "|q|";
            case "pam_key_norm" -> "|k|";
            case "head.sa.gamma" -> "PAM gamma";
            case "head.sc.gamma" -> "CAM beta";
            default -> key.replace("pretrained.", "").replace("head.", "");
        };
    }

    private static XYChart rateAndClip(List<JsonNode> lines, double lastStep) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (JsonNode line : lines) {
            if (!line.path("reason").asText().equals("every")) {
                continue;
            }
            double x = line.path("iteration").asDouble() + AXIS_NUDGE;
            add(series, "head lr (x10)", x, 10 * line.path("head_lr").asDouble(), false);
            add(series, "clip factor", x, line.path("clip_factor").asDouble(), false);
        }
        XYChart chart = chart("learning rate, clip factor", false, lastStep);
        series.forEach((name, points) -> {
            if (!points.isEmpty()) {
                chart.addSeries(name, points.stream().map(p -> p[0]).toList(), points.stream().map(p -> p[1]).toList())
                        .setMarker(SeriesMarkers.NONE);
            }
        });
        return chart;
    }

    private static void add(Map<String, List<double[]>> series, String name, double x, double y, boolean log) {
        if (Double.isFinite(y) && (!log || y > 0)) {
            series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {x, y});
        }
    }

    private static XYChart chart(String title, boolean log, double lastStep) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("iteration").build();
        Styler styler = chart.getStyler();
        styler.setLegendVisible(true);
        // Below the chart, in rows: inside, the legends hid the curves.
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendPadding(3);
        styler.setLegendFont(styler.getLegendFont().deriveFont(9f));
        styler.setChartTitleFont(styler.getChartTitleFont().deriveFont(12f));
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(Math.ceil(lastStep));
        chart.getStyler().setYAxisLogarithmic(log);
        if (!log) {
            chart.getStyler().setYAxisDecimalPattern("0.00");
        }
        return chart;
    }
}
