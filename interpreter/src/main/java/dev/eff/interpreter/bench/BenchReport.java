package dev.eff.interpreter.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.eff.interpreter.run.MemoryEstimate;
import dev.eff.interpreter.run.Table;
import dev.eff.interpreter.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** {@code eff bench}'s outputs: the terminal table, CSV, JSON and PNG plots of time and memory against a sweep. */
public final class BenchReport {
    private BenchReport() {}

    /** The first line of every CSV the bench writes (an existing file that starts so may be replaced). */
    public static final String CSV_HEADER = "sweep,model,batch,params,active_params,flops_per_example,train_ms,train_min_ms,"
            + "train_max_ms,examples_per_s,infer_ms,infer_min_ms,infer_max_ms,memory_estimate_bytes,mfu";

    public static String table(List<Bench.Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"sweep", "params", "FLOPs/ex", "train ms (min–max)", "ex/s", "infer ms (min–max)",
                "memory (est.)", "MFU"});
        for (Bench.Result r : results) {
            rows.add(new String[] {Bench.render(r.values()), String.format(Locale.ROOT, "%,d", r.params()),
                    si(r.flopsPerExample()), range(r.trainMs(), r.trainMinMs(), r.trainMaxMs()),
                    String.format(Locale.ROOT, "%.1f", r.examplesPerSecond()), range(r.inferMs(), r.inferMinMs(), r.inferMaxMs()),
                    MemoryEstimate.size(r.memoryEstimate()), String.format(Locale.ROOT, "%.1f %%", 100 * r.mfu())});
        }
        return Table.render(rows, 1);
    }

    public static void writeCsv(List<Bench.Result> results, Path file) throws IOException {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Bench.Result r : results) {
            sb.append('"').append(Bench.render(r.values()).replace("\"", "\"\"")).append("\",").append(r.model().replace(",", ";"))
                    .append(',').append(r.batch()).append(',').append(r.params()).append(',').append(r.activeParams())
                    .append(',').append(r.flopsPerExample());
            for (double d : new double[] {r.trainMs(), r.trainMinMs(), r.trainMaxMs(), r.examplesPerSecond(), r.inferMs(),
                    r.inferMinMs(), r.inferMaxMs()}) {
                sb.append(',').append(String.format(Locale.ROOT, "%.4f", d));
            }
            sb.append(',').append(r.memoryEstimate()).append(',').append(String.format(Locale.ROOT, "%.5f", r.mfu())).append('\n');
        }
        Checkpoints.write(file, tmp -> Files.writeString(tmp, sb));
    }

    public static void writeJson(List<Bench.Result> results, Map<String, Object> setup, Path file) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>(setup);
        doc.put("results", results);
        Checkpoints.write(file, tmp -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), doc));
    }

    /**
     * Train-step time and inference latency ({@code FILE.png}) and estimated memory ({@code FILE_memory.png}) against
     * the last sweep, one series per combination of the others: log-log when its values are numbers, bars otherwise.
     */
    public static List<Path> plot(List<Bench.Result> results, List<Sweep> sweeps, Path png) throws IOException {
        Sweep axis = sweeps.get(sweeps.size() - 1);
        Map<String, List<Bench.Result>> series = new LinkedHashMap<>();
        for (Bench.Result r : results) {
            Map<String, String> others = new LinkedHashMap<>(r.values());
            others.remove(axis.name());
            series.computeIfAbsent(others.isEmpty() ? "" : Bench.render(others), k -> new ArrayList<>()).add(r);
        }
        String base = png.toString().replaceFirst("\\.png$", "");
        Chart<?, ?> time = chart(axis, "train step and batch-1 inference", "ms", series, true);
        Chart<?, ?> memory = chart(axis, "training memory (cost-model estimate)", "MB", series, false);
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(time, base, BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(memory, base + "_memory", BitmapEncoder.BitmapFormat.PNG);
        return List.of(Path.of(base + ".png"), Path.of(base + "_memory.png"));
    }

    private static Chart<?, ?> chart(Sweep axis, String title, String unit, Map<String, List<Bench.Result>> series, boolean time) {
        if (axis.numeric()) {
            XYChart c = new XYChartBuilder().width(800).height(520).title(title).xAxisTitle(axis.name()).yAxisTitle(unit).build();
            c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW);
            series.forEach((name, rs) -> {
                double[] x = rs.stream().mapToDouble(r -> Double.parseDouble(r.values().get(axis.name()))).toArray();
                if (time) {
                    c.addSeries(label(name, "train"), x, rs.stream().mapToDouble(Bench.Result::trainMs).toArray());
                    c.addSeries(label(name, "inference"), x, rs.stream().mapToDouble(Bench.Result::inferMs).toArray());
                } else {
                    c.addSeries(label(name, "memory"), x, rs.stream().mapToDouble(r -> r.memoryEstimate() / 1e6).toArray());
                }
            });
            return c;
        }
        CategoryChart c = new CategoryChartBuilder().width(800).height(520).title(title).xAxisTitle(axis.name()).yAxisTitle(unit).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        series.forEach((name, rs) -> {
            List<String> x = rs.stream().map(r -> r.values().get(axis.name())).toList();
            if (time) {
                c.addSeries(label(name, "train"), x, rs.stream().map(r -> (Number) r.trainMs()).toList());
                c.addSeries(label(name, "inference"), x, rs.stream().map(r -> (Number) r.inferMs()).toList());
            } else {
                c.addSeries(label(name, "memory"), x, rs.stream().map(r -> (Number) (r.memoryEstimate() / 1e6)).toList());
            }
        });
        return c;
    }

    private static String label(String series, String what) { return series.isEmpty() ? what : series + " " + what; }

    private static String range(double median, double min, double max) {
        return String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", median, min, max);
    }

    private static String si(long n) {
        if (n >= 1_000_000_000L) return String.format(Locale.ROOT, "%.2f G", n / 1e9);
        if (n >= 1_000_000L) return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        if (n >= 1_000L) return String.format(Locale.ROOT, "%.2f k", n / 1e3);
        return Long.toString(n);
    }
}
