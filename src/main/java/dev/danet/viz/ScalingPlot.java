package dev.danet.viz;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** Inference time and peak memory against input size, one line per configuration. */
public final class ScalingPlot {

    /** One measurement: configuration name, input size, seconds, peak resident bytes. */
    public record Point(String series, int height, int width, double seconds, long peakBytes) {}

    private ScalingPlot() {}

    public static void write(Path png, List<Point> points) {
        Map<String, List<Point>> bySeries = new LinkedHashMap<>();
        points.forEach(p -> bySeries.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p));
        XYChart time = chart("inference time", "seconds");
        XYChart memory = chart("peak resident memory", "GB");
        bySeries.forEach((name, list) -> {
            List<Double> x = list.stream().map(p -> (double) Math.max(p.height(), p.width())).toList();
            time.addSeries(name, x, list.stream().map(Point::seconds).toList());
            memory.addSeries(name, x, list.stream().map(p -> p.peakBytes() / 1e9).toList());
        });
        BufferedImage left = BitmapEncoder.getBufferedImage(time);
        BufferedImage right = BitmapEncoder.getBufferedImage(memory);
        BufferedImage both = new BufferedImage(left.getWidth() + right.getWidth(), left.getHeight(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        Images.writePng(png, both);
    }

    private static XYChart chart(String title, String unit) {
        XYChart chart = new XYChartBuilder().width(560).height(400).title(title)
                .xAxisTitle("long side of the input (px)").yAxisTitle(unit).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisDecimalPattern("#");
        // Attention cost grows with the square of the positions: a log axis keeps every size readable.
        chart.getStyler().setYAxisLogarithmic(true);
        return chart;
    }
}
