package dev.eff.interpreter.run;

import dev.eff.interpreter.train.Checkpoints;
import dev.eff.interpreter.train.ProbeSeries;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.ImageIO;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The expert load over training as a PNG: one panel per layer that probes {@code load} (mixtures of experts), one
 * line per expert, its share of the routing assignments times the number of experts (1 = a perfectly even share),
 * at the steps the trainer sampled.
 */
public final class LoadPlot {
    private LoadPlot() {}

    private static final int WIDTH = 640, HEIGHT = 400;

    /** The probes a plot is drawn from: per-expert {@code load} samples of a training job. */
    static List<ProbeSeries> loads(JobReport job) {
        if (job.probes() == null) return List.of();
        return job.probes().stream().filter(p -> p.name().equals("load") && p.samples() != null && !p.samples().isEmpty()).toList();
    }

    /** Draws {@code job}'s expert loads into {@code file} (atomically); false when the job probed no load. */
    public static boolean write(JobReport job, Path file) throws IOException {
        List<ProbeSeries> loads = loads(job);
        if (loads.isEmpty()) return false;
        List<XYChart> charts = new ArrayList<>();
        for (ProbeSeries p : loads) charts.add(chart(job.model(), p));
        int cols = charts.size() == 1 ? 1 : 2, rows = (charts.size() + cols - 1) / cols;
        BufferedImage grid = new BufferedImage(cols * WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * WIDTH, (i / cols) * HEIGHT, null);
        }
        g.dispose();
        Checkpoints.write(file, tmp -> ImageIO.write(grid, "png", tmp.toFile()));
        return true;
    }

    private static XYChart chart(String model, ProbeSeries p) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(model + " " + p.layer() + ": expert load")
                .xAxisTitle("step").yAxisTitle("share × experts (1 = even)").build();
        chart.getStyler().setLegendVisible(false);
        int experts = p.samples().get(0).value().length;
        double[] steps = p.samples().stream().mapToDouble(ProbeSeries.Sample::step).toArray();
        for (int e = 0; e < experts; e++) {
            final int expert = e;
            double[] load = p.samples().stream().mapToDouble(s -> s.value()[expert] * experts).toArray();
            chart.addSeries(String.format(Locale.ROOT, "expert %d", e), steps, load).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }
}
