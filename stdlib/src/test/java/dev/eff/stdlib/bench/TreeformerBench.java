package dev.eff.stdlib.bench;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.ScopedLowering;
import dev.eff.stdlib.layers.SoftmaxAttention;
import dev.eff.stdlib.layers.TreeformerAttention;
import dev.eff.stdlib.testing.LayerHarness;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * attention(treeformer) (leaf and path mode, non-causal, and leaf mode causal) against attention(softmax) for one
 * layer (B1, d128, 4 heads, FLOAT) against the sequence length: attention FLOPs and routing FLOPs from the cost
 * model, forward+backward wall and process CPU time (medians of {@code -Dreps=N}, default 3, after one warm-up pass) and the peak
 * resident memory of the warm-up pass above the resident size before the graph was built (Linux VmHWM, each
 * measurement in a fresh JVM, since ND4J keeps freed native memory in the process). The tree depth gives leaves of
 * 64 keys: depth = log2(T/64). Not a test; run with {@code stdlib/bench.sh TreeformerBench} ({@code -Dlengths=256,1024}).
 */
public final class TreeformerBench {

    private static final int REPS = Integer.getInteger("reps", 3), D = 128, HEADS = 4;
    private static final long[] LENGTHS = java.util.Arrays.stream(System.getProperty("lengths", "256,512,1024,2048,4096")
            .split(",")).mapToLong(Long::parseLong).toArray();
    private static final String[] KINDS = {"softmax", "treeformer leaf", "treeformer path", "treeformer leaf causal"};

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--one")) {
            double[] r = measure(Integer.parseInt(args[1]), Long.parseLong(args[2]));
            System.out.println("RESULT " + r[0] + " " + r[1] + " " + r[2]);
            return;
        }
        System.out.printf("| %-22s | %5s | %5s | %14s | %14s | %10s | %12s | %12s | %9s |%n", "kind", "T", "depth",
                "attn MFLOP", "routing MFLOP", "attn ratio", "fwd+bwd ms", "CPU ms", "peak MB");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (long t : LENGTHS) {
            for (int k = 0; k < KINDS.length; k++) {
                long[] flops = flops(k, t);
                double[] r = inFreshJvm(k, t);
                long softmax = flops(0, t)[0];
                System.out.printf("| %-22s | %5d | %5s | %14.1f | %14.1f | %9.1f× | %12.1f | %12.1f | %9.1f |%n", KINDS[k], t,
                        k == 0 ? "–" : Long.toString(depth(t)), flops[0] / 1e6, flops[1] / 1e6, (double) softmax / flops[0],
                        r[0], r[2], r[1]);
            }
        }
    }

    static long depth(long t) { return Math.max(0, 63 - Long.numberOfLeadingZeros(t / 64)); }

    private static Layer layer(int kind) { return kind == 0 ? new SoftmaxAttention() : new TreeformerAttention(); }

    private static Args args(int kind, long t) {
        return switch (kind) {
            case 0 -> LayerHarness.bind(new SoftmaxAttention(), "heads", HEADS);
            case 1 -> LayerHarness.bind(new TreeformerAttention(), "heads", HEADS, "depth", depth(t));
            case 2 -> LayerHarness.bind(new TreeformerAttention(), "heads", HEADS, "depth", depth(t), "mode", "path");
            default -> LayerHarness.bind(new TreeformerAttention(), "heads", HEADS, "depth", depth(t), "causal", true);
        };
    }

    /** {attention FLOPs, routing FLOPs} per example by the cost model; softmax: q·kᵀ, weights·v and the softmax. */
    private static long[] flops(int kind, long t) {
        if (kind == 0) return new long[] {4 * t * t * D + HEADS * t * t * 3 + t * D, 0};
        Args a = args(kind, t);
        return new long[] {TreeformerAttention.attentionFlops(a, t, D), TreeformerAttention.routingFlops(a, t, D)};
    }

    private static double[] inFreshJvm(int kind, long t) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TreeformerBench.class.getName(), "--one",
                Integer.toString(kind), Long.toString(t)));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) return new double[] {Double.NaN, Double.NaN, Double.NaN};
        String[] f = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow().split(" ");
        return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])};
    }

    /** {median wall ms, peak MB above the baseline, median process CPU ms (all threads)}. */
    private static double[] measure(int kind, long t) throws Exception {
        Layer layer = layer(kind);
        Args a = args(kind, t);
        Shape in = Shape.batch(DType.FLOAT, t, D);
        quietly(TreeformerBench::warmUpNd4j);
        System.gc();
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        long baseline = resident("VmRSS");
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.randn(DataType.FLOAT, 1, t, D).muli(0.5));
        Shape out = layer.outputShape(a, in, Map.of());
        SDVariable y = layer.lower(new ScopedLowering(sd, "bench", in, out, 1, DataType.FLOAT,
                sd.constant("training", Nd4j.scalar(DataType.FLOAT, 1f))), a, x, Map.of());
        sd.sum(y).markAsLoss();
        String[] wrt = sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name).toArray(String[]::new);
        quietly(() -> sd.calculateGradients(Map.of(), wrt));
        long peak = resident("VmHWM");
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double[] times = new double[REPS], cpu = new double[REPS];
        for (int i = 0; i < REPS; i++) {
            System.gc();
            long start = System.nanoTime(), cpuStart = os.getProcessCpuTime();
            sd.calculateGradients(Map.of(), wrt);
            times[i] = (System.nanoTime() - start) / 1e6;
            cpu[i] = (os.getProcessCpuTime() - cpuStart) / 1e6;
        }
        java.util.Arrays.sort(times);
        java.util.Arrays.sort(cpu);
        return new double[] {times[REPS / 2], (peak - baseline) / 1e6, cpu[REPS / 2]};
    }

    private static void warmUpNd4j() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.randn(DataType.FLOAT, 4, 8, 8));
        sd.sum(sd.nn.softmax(sd.mmul(x, x, false, true, false), -1)).markAsLoss();
        sd.calculateGradients(Map.of(), "x");
    }

    private static void quietly(Runnable work) {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            work.run();
        } finally {
            System.setOut(stdout);
        }
    }

    private static long resident(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }

    private TreeformerBench() {}
}
