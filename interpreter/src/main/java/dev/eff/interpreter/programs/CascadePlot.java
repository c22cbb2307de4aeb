package dev.eff.interpreter.programs;

import dev.eff.interpreter.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A cascade's accuracy against its cost (FLOPs per example relative to the large model alone) as a PNG: the rule's
 * curve over thresholds, the confidence rule's beside a post-hoc one, the large model's accuracy, and the point run.
 */
final class CascadePlot {
    private CascadePlot() {}

    static void write(String title, Cascade.Result r, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(480).title(title)
                .xAxisTitle("FLOPs per example / large model's").yAxisTitle("accuracy").build();
        series(chart, r.confidenceCurve() == null ? r.rule() : "post-hoc rule", r.curve());
        if (r.confidenceCurve() != null) series(chart, "confidence (MaxProb)", r.confidenceCurve());
        double right = Math.max(1, r.curve().points().stream().mapToDouble(CascadeCurve.Point::flopsVsLarge).max().orElse(1));
        double left = r.flops().small() / (double) r.flops().large();
        chart.addSeries("large model alone", new double[] {left, right}, new double[] {r.largeAccuracy(), r.largeAccuracy()})
                .setMarker(SeriesMarkers.NONE);
        CascadeCurve.Point p = r.operatingPoint();
        chart.addSeries(String.format(java.util.Locale.ROOT, "run: %.1f%% deferred", 100 * p.deferred()),
                new double[] {p.flopsVsLarge()}, new double[] {p.accuracy()}).setMarker(SeriesMarkers.DIAMOND);
        var image = BitmapEncoder.getBufferedImage(chart);
        Checkpoints.write(file, tmp -> ImageIO.write(image, "png", tmp.toFile()));
    }

    private static void series(XYChart chart, String name, CascadeCurve c) {
        List<CascadeCurve.Point> ps = c.points().stream().sorted(java.util.Comparator.comparingDouble(CascadeCurve.Point::flopsVsLarge)).toList();
        chart.addSeries(name, ps.stream().mapToDouble(CascadeCurve.Point::flopsVsLarge).toArray(),
                ps.stream().mapToDouble(CascadeCurve.Point::accuracy).toArray()).setMarker(SeriesMarkers.NONE);
    }
}
