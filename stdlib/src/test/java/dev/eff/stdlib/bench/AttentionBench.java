package dev.eff.stdlib.bench;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.ScopedLowering;
import dev.eff.stdlib.layers.LocalAttention;
import dev.eff.stdlib.layers.PerformerAttention;
import dev.eff.stdlib.layers.SoftmaxAttention;
import dev.eff.stdlib.layers.TreeformerAttention;
import dev.eff.stdlib.testing.LayerHarness;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward+backward time and peak memory of one causal attention layer (B1, d128, 4 heads, FLOAT) against the
 * sequence length, for attention(softmax), attention(performer) (64 features, FAVOR+, chunks of 64) and
 * attention(local) (window 64), attention(treeformer) in causal leaf mode and in path mode (depth log2(T/64), leaves of
 * 64 keys): the median of {@code -Dreps=N} (default 3) passes after one warm-up, and the peak
 * resident memory of the process during the warm-up pass (Linux's VmHWM, reset before the graph is built) above the
 * resident size before it: ND4J's native arrays and the Java heap's growth together. Linux only. Writes a table to stdout
 * and a log-log PNG ({@code -Dlengths=256,1024} picks the lengths). Not a test; run with
 * {@code stdlib/bench.sh AttentionBench [out.png] [maxSoftmaxT]} (defaults docs/benchmarks/attention.png, 4096).
 */
public final class AttentionBench {

    private static final int REPS = Integer.getInteger("reps", 3);
    private static final long[] LENGTHS = java.util.Arrays.stream(System.getProperty("lengths", "256,512,1024,2048,4096,8192")
            .split(",")).mapToLong(Long::parseLong).toArray();
    private static final int D = 128, HEADS = 4;

    /** A kind and its arguments at sequence length T (Treeformer's depth grows with T: leaves of 64 keys). */
    private record Kind(String label, Layer layer, java.util.function.LongFunction<Object[]> args) {}

    public static void main(String[] args) throws IOException, InterruptedException {
        List<Kind> kinds = kinds();
        if (args.length == 3 && args[0].equals("--one")) {
            double[] r = measure(kinds.get(Integer.parseInt(args[1])), Long.parseLong(args[2]));
            System.out.println("RESULT " + r[0] + " " + r[1] + " " + r[2]);
            return;
        }
        Path png = Path.of(args.length > 0 ? args[0] : "docs/benchmarks/attention.png");
        long maxSoftmax = args.length > 1 ? Long.parseLong(args[1]) : 4096;
        Map<String, List<double[]>> rows = new LinkedHashMap<>();
        System.out.printf("%-28s %6s %12s %12s %14s%n", "kind", "T", "ms (median)", "peak MB", "model GFLOP");
        for (long t : LENGTHS) {
            for (int i = 0; i < kinds.size(); i++) {
                Kind k = kinds.get(i);
                if (k.label().equals("softmax") && t > maxSoftmax) continue;
                double[] r = inFreshJvm(i, t);
                rows.computeIfAbsent(k.label(), x -> new ArrayList<>()).add(new double[] {t, r[0], r[1], r[2]});
                System.out.printf("%-28s %6d %12.1f %12.1f %14.3f%n", k.label(), t, r[0], r[1], r[2]);
            }
        }
        plot(rows, png);
        System.out.println("plot: " + png);
    }

    private static List<Kind> kinds() {
        return List.of(
                new Kind("softmax", new SoftmaxAttention(), t -> new Object[] {"heads", HEADS, "causal", true}),
                new Kind("performer m=64", new PerformerAttention(), t -> new Object[] {"heads", HEADS, "causal", true, "features", 64}),
                new Kind("performer m=64 non-causal", new PerformerAttention(), t -> new Object[] {"heads", HEADS, "features", 64}),
                new Kind("local w=64", new LocalAttention(), t -> new Object[] {"heads", HEADS, "causal", true, "window", 64}),
                new Kind("treeformer leaf", new TreeformerAttention(),
                        t -> new Object[] {"heads", HEADS, "causal", true, "depth", TreeformerBench.depth(t)}),
                new Kind("treeformer path non-causal", new TreeformerAttention(),
                        t -> new Object[] {"heads", HEADS, "depth", TreeformerBench.depth(t), "mode", "path"}));
    }

    /**
     * One measurement in its own JVM: ND4J keeps freed native memory in the process, so a peak measured after another
     * kind's run would only show what that run had not already reserved.
     */
    private static double[] inFreshJvm(int kind, long t) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AttentionBench.class.getName(), "--one",
                Integer.toString(kind), Long.toString(t)));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("measurement of kind " + kind + " at T = " + t + " failed:\n" + out);
        String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result from kind " + kind + " at T = " + t + ":\n" + out));
        String[] f = line.split(" ");
        return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])};
    }

    /** {median ms, peak MB above baseline, forward GFLOP by the cost model}. */
    private static double[] measure(Kind k, long t) {
        var bound = LayerHarness.bind(k.layer(), k.args().apply(t));
        Shape in = Shape.batch(DType.FLOAT, t, D);
        warmUpNd4j();
        System.gc();
        resetPeak();
        long baseline = residentBytes("VmRSS");
        double flops;
        long peak;
        List<Double> times = new ArrayList<>();
        try {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", Nd4j.randn(DataType.FLOAT, 1, t, D).muli(0.5));
            Shape out = k.layer().outputShape(bound, in, Map.of());
            flops = k.layer().cost(bound, in, out, Map.of()).flops() / 1e9;
            SDVariable y = k.layer().lower(new ScopedLowering(sd, "bench", in, out, 1, DataType.FLOAT,
                    sd.constant("training", Nd4j.scalar(DataType.FLOAT, 1f))), bound, x, Map.of());
            sd.sum(y).markAsLoss();
            String[] wrt = sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                    .map(SDVariable::name).toArray(String[]::new);
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(stdout);
            }
            sd.calculateGradients(Map.of(), wrt);   // the warm-up pass: its peak is the memory figure
            peak = residentBytes("VmHWM");
            for (int i = 0; i < REPS; i++) {
                System.gc();   // SameDiff leaves a pass's arrays to the collector; free them outside the timing
                long start = System.nanoTime();
                sd.calculateGradients(Map.of(), wrt);
                times.add((System.nanoTime() - start) / 1e6);
            }
        } catch (dev.eff.dsl.check.ShapeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {sorted[sorted.length / 2], (peak - baseline) / 1e6, flops};
    }

    /** Loads the native libraries and runs a small graph forward and backward, so the baseline includes ND4J itself. */
    private static void warmUpNd4j() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.randn(DataType.FLOAT, 4, 8, 8));
        sd.sum(sd.nn.softmax(sd.mmul(x, x, false, true, false), -1)).markAsLoss();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            sd.calculateGradients(Map.of(), "x");
        } finally {
            System.setOut(stdout);
        }
    }

    /** The process's resident memory now ({@code VmRSS}) or its peak since the last reset ({@code VmHWM}), in bytes. */
    private static long residentBytes(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }

    /** Resets the kernel's peak-resident-memory mark (VmHWM) to the current resident size. */
    private static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void plot(Map<String, List<double[]>> rows, Path png) throws IOException {
        XYChart time = chart("forward+backward time, one attention layer (B1, d128, 4 heads; causal unless marked)", "ms");
        XYChart memory = chart("peak memory above baseline", "MB");
        for (var e : rows.entrySet()) {
            double[] t = e.getValue().stream().mapToDouble(r -> r[0]).toArray();
            time.addSeries(e.getKey(), t, e.getValue().stream().mapToDouble(r -> r[1]).toArray());
            memory.addSeries(e.getKey(), t, e.getValue().stream().mapToDouble(r -> Math.max(r[2], 1)).toArray());
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        String base = png.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(time, base, BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(memory, base + "_memory", BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(String title, String unit) {
        XYChart c = new XYChartBuilder().width(800).height(520).title(title).xAxisTitle("sequence length T").yAxisTitle(unit).build();
        c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setMarkerSize(6);
        return c;
    }

    private AttentionBench() {}
}
