package dev.eff.interpreter.run;

import dev.eff.interpreter.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The exit-layer histogram of an early-exit decoding as a PNG: the share of the generated tokens that left at each
 * exit, from the {@code exit@K} metrics of a {@code generate} (or {@code calibrate}) job.
 */
public final class ExitPlot {
    private ExitPlot() {}

    /** Draws {@code job}'s exit histogram into {@code file} (atomically); false when the job has no exit metrics. */
    public static boolean write(JobReport job, Path file) throws IOException {
        if (job.metrics() == null) return false;
        List<String> exits = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        for (int k = 1; job.metrics().containsKey("exit@" + k); k++) {
            exits.add("block " + k);
            shares.add(job.metrics().get("exit@" + k));
        }
        if (exits.isEmpty()) return false;
        CategoryChart chart = new CategoryChartBuilder().width(640).height(400)
                .title(job.model() + ": exit layers, " + String.format(java.util.Locale.ROOT, "%.2f", job.metrics().get("layers/token"))
                        + " blocks per token").xAxisTitle("exit").yAxisTitle("share of tokens").build();
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("tokens", exits, shares);
        Checkpoints.write(file, tmp -> ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", tmp.toFile()));
        return true;
    }
}
