package dev.eff.interpreter.bench;

import dev.eff.accelerators.Backend;
import dev.eff.dsl.Frontend;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.JobReport;
import dev.eff.interpreter.run.LoadPlot;
import dev.eff.interpreter.run.RunEvents;
import dev.eff.interpreter.run.RunReport;
import dev.eff.interpreter.run.Runner;
import dev.eff.interpreter.train.ProbeSeries;
import dev.eff.stdlib.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Not a test: a bidirectional encoder on multi-query associative recall (64 tokens per sequence, d 128, 2 blocks,
 * batch 32, seed 1) with its feed-forward blocks as a dense {@code mlp(hidden = 512)}, or 16 experts of hidden 256
 * (the same active parameters: 2 experts per token) with top-2 token choice at capacity 2.0 or 1.25, or expert
 * choice with k = 2. Each variant first trains {@code curveSteps} steps from the same initial seed (loss curve,
 * probes); then {@code reps} rounds alternate {@code timedSteps} more steps of each variant, and the median time per
 * step over the rounds is reported. Writes the loss curves and the token-choice expert load as PNGs into
 * {@code outDir}.
 * Run: {@code interpreter/bench.sh MoeBench [curveSteps=300] [reps=5] [timedSteps=20] [outDir=docs/benchmarks]}.
 */
public final class MoeBench {

    record Variant(String name, String ffn, String loss) {}

    static final List<Variant> VARIANTS = List.of(
            new Variant("dense", "mlp(hidden = 512)", "crossEntropy()"),
            new Variant("tokenChoice2", "moe(experts = 16, hidden = 256, route = tokenChoice(k = 2, capacity = 2.0, evalCapacity = 2.0))",
                    "crossEntropy() + 0.01 * aux.balance + 0.001 * aux.zloss"),
            new Variant("tokenChoice125", "moe(experts = 16, hidden = 256, route = tokenChoice(k = 2, capacity = 1.25, evalCapacity = 2.0))",
                    "crossEntropy() + 0.01 * aux.balance + 0.001 * aux.zloss"),
            new Variant("expertChoice", "moe(experts = 16, hidden = 256, route = expertChoice(k = 2))",
                    "crossEntropy() + 0.001 * aux.zloss"));

    public static void main(String[] a) throws Exception {
        int curveSteps = a.length > 0 ? Integer.parseInt(a[0]) : 300;
        int reps = a.length > 1 ? Integer.parseInt(a[1]) : 5;
        int timedSteps = a.length > 2 ? Integer.parseInt(a[2]) : 20;
        Path out = Path.of(a.length > 3 ? a[3] : "docs/benchmarks").toAbsolutePath();
        Files.createDirectories(out);
        Backend.configure();
        StringBuilder s = new StringBuilder("data recall = associativeRecall(vocab = 64, pairs = 24, queries = 16, examples = 20000, seed = 7)\n");
        for (Variant v : VARIANTS) {
            s.append("""
                    model %s() {
                        embed(vocab = 64, dim = 128, position = learned)
                        repeat(2) {
                            residual { layerNorm(); attention(softmax, heads = 4) }
                            residual { layerNorm(); %s }
                        }
                        layerNorm()
                        logits(64)
                    }
                    """.formatted(v.name(), v.ffn()));
        }
        for (Variant v : VARIANTS) s.append(train(v, curveSteps));
        for (int r = 0; r < reps; r++) for (Variant v : VARIANTS) s.append(train(v, timedSteps));
        for (Variant v : VARIANTS) s.append("evaluate %s on recall.test { accuracy }\n".formatted(v.name()));
        Path script = Files.createTempDirectory("moebench").resolve("moe_bench.eff");
        Files.writeString(script, s.toString());
        Frontend.Result checked = Frontend.check(script, Registry.standard(), Map.of());
        if (!checked.ok()) throw new IllegalStateException(checked.diagnostics().render());
        RunReport report = new Runner(Registry.standard(), ModelCompiler.standard())
                .run(checked.program(), new Runner.Options(script, script.getParent(), Map.of(), 0, 0, 0), RunEvents.NONE);

        List<JobReport> jobs = report.jobs();
        int n = VARIANTS.size();
        Map<String, double[]> curves = new LinkedHashMap<>();
        System.out.printf(Locale.ROOT, "| variant | params | median step (ms) | step / dense | final loss (mean of last 20) | test accuracy | "
                + "max/mean load (mean; last) | dropped (mean; last) | unrouted (last) |%n|---|---|---|---|---|---|---|---|---|%n");
        double denseStep = 0;
        for (int i = 0; i < n; i++) {
            JobReport curve = jobs.get(i);
            double[] steps = new double[reps];
            for (int r = 0; r < reps; r++) {
                JobReport t = jobs.get(n + r * n + i);
                steps[r] = 1000 * t.seconds() / t.steps();
            }
            Arrays.sort(steps);
            double median = steps[reps / 2];
            if (i == 0) denseStep = median;
            double[] losses = curve.losses();
            curves.put(VARIANTS.get(i).name(), losses);
            double tail = Arrays.stream(losses, Math.max(0, losses.length - 20), losses.length).average().orElse(Double.NaN);
            double accuracy = jobs.get(n + reps * n + i).metrics().get("accuracy");
            System.out.printf(Locale.ROOT, "| %s | %,d | %.0f (%s) | %.2f | %.3f | %.3f | %s | %s | %s |%n", VARIANTS.get(i).name(),
                    curve.parameters(), median, Arrays.toString(Arrays.stream(steps).mapToLong(Math::round).toArray()),
                    median / denseStep, tail, accuracy, probe(curve, "maxMeanLoad"), probe(curve, "dropped"), last(curve, "unrouted"));
            if (LoadPlot.write(curve, out.resolve("moe-load-" + VARIANTS.get(i).name() + ".png"))) {
                System.out.println("  load plot: " + out.resolve("moe-load-" + VARIANTS.get(i).name() + ".png"));
            }
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title("multi-query recall, encoder d 128: training loss "
                + "(moving mean of 10 steps)").xAxisTitle("step").yAxisTitle("loss").build();
        curves.forEach((name, losses) -> {
            double[] x = new double[losses.length], y = new double[losses.length];
            for (int k = 0; k < losses.length; k++) {
                x[k] = k + 1;
                y[k] = Arrays.stream(losses, Math.max(0, k - 9), k + 1).average().orElseThrow();
            }
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        });
        BitmapEncoder.saveBitmap(chart, out.resolve("moe-loss.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        System.out.println("loss curves: " + out.resolve("moe-loss.png"));
    }

    private static String train(Variant v, int steps) {
        return """
                train %s on recall {
                    optimizer = adamw(lr = 3e-3, warmup = 30)
                    loss = %s
                    batch = 32
                    steps = %d
                    seed = 1
                }
                """.formatted(v.name(), v.loss(), steps);
    }

    /** A probe of the first layer that has it: its mean over the run and its last sample, or "-". */
    private static String probe(JobReport job, String name) {
        ProbeSeries p = find(job, name);
        if (p == null) return "-";
        return String.format(Locale.ROOT, "%.3f; %.3f", p.mean()[0], p.samples().get(p.samples().size() - 1).value()[0]);
    }

    private static String last(JobReport job, String name) {
        ProbeSeries p = find(job, name);
        return p == null ? "-" : String.format(Locale.ROOT, "%.3f", p.samples().get(p.samples().size() - 1).value()[0]);
    }

    private static ProbeSeries find(JobReport job, String name) {
        if (job.probes() == null) return null;
        return job.probes().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
}
