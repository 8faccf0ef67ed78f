package dev.danet.viz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The training-curve picture: loss per step (and its running mean) beside validation mIoU. */
public final class TrainingCurves {

    /** mIoU over the classes present: datasets like the synthetic set use a subset of their class list. */
    private static final String PLOTTED = "mIoU_present";
    /**
     * XChart puts its x ticks at odd integer steps (41, 82, ...) when every x value is a whole
     * number; a negligible offset and an explicit axis range make it choose round ones.
     */
    private static final double AXIS_NUDGE = 1e-3;

    private TrainingCurves() {}

    /** Draws the entries of a training log (see TrainingLog) into a PNG, atomically. */
    public static void write(Path png, List<JsonNode> entries) {
        List<Double> steps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> valSteps = new ArrayList<>();
        List<Double> miou = new ArrayList<>();
        for (JsonNode e : entries) {
            if (e.path("type").asText().equals("step")) {
                steps.add(e.path("iteration").asDouble() + AXIS_NUDGE);
                losses.add(e.path("loss").asDouble());
            } else if (e.has(PLOTTED)) {
                valSteps.add(e.path("iteration").asDouble() + AXIS_NUDGE);
                miou.add(e.path(PLOTTED).asDouble());
            }
        }
        if (steps.isEmpty()) {
            return;
        }
        double lastStep = Math.ceil(steps.get(steps.size() - 1));
        XYChart loss = new XYChartBuilder().width(640).height(400).title("training loss")
                .xAxisTitle("iteration").yAxisTitle("loss").build();
        loss.getStyler().setLegendVisible(true);
        loss.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        iterationAxis(loss, lastStep);
        loss.getStyler().setYAxisDecimalPattern("0.00");
        loss.addSeries("loss", steps, losses).setMarker(SeriesMarkers.NONE);
        loss.addSeries("running mean (25)", steps, runningMean(losses, 25)).setMarker(SeriesMarkers.NONE);
        XYChart val = new XYChartBuilder().width(640).height(400).title("validation mIoU (classes present)")
                .xAxisTitle("iteration").yAxisTitle("mIoU").build();
        val.getStyler().setLegendVisible(false);
        iterationAxis(val, lastStep);
        val.getStyler().setYAxisDecimalPattern("0.000");
        if (!miou.isEmpty()) {
            XYSeries s = val.addSeries("mIoU", valSteps, miou);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        java.awt.image.BufferedImage left = BitmapEncoder.getBufferedImage(loss);
        java.awt.image.BufferedImage right = BitmapEncoder.getBufferedImage(val);
        java.awt.image.BufferedImage both = new java.awt.image.BufferedImage(left.getWidth() + right.getWidth(),
                Math.max(left.getHeight(), right.getHeight()), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = both.createGraphics();
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        Images.writePng(png, both);
    }

    /** Both charts share the x axis: whole iterations from 0 to the last one. */
    private static void iterationAxis(XYChart chart, double lastStep) {
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(lastStep);
    }

    static List<Double> runningMean(List<Double> values, int window) {
        List<Double> out = new ArrayList<>(values.size());
        double sum = 0;
        for (int i = 0; i < values.size(); i++) {
            sum += values.get(i);
            if (i >= window) {
                sum -= values.get(i - window);
            }
            out.add(sum / Math.min(i + 1, window));
        }
        return out;
    }
}
