package dev.eff.accelerators;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Benchmark of one native build in this JVM (not a unit test; run by accelerators/bench/natives.sh, which
 * sets EFF_NATIVE and the OpenMP/OpenBLAS environment per process). Prints one JSON line: the build that
 * loaded, median GEMM GFLOP/s at n = 1024 and 2048 (c-order float), the median forward+backward time of a
 * one-block pre-LN transformer (B16 T128 d256, 4 heads, FFN 1024, GELU, softmax cross-entropy over 256
 * classes) in wall time and in process CPU time, and check values (loss, gradient sums, GEMM entries) for comparison across builds.
 */
public final class NativeBenchmark {

    private static final int B = 16, T = 128, D = 256, H = 4, FF = 1024, V = 256;
    private static double stepCpuMs;

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Backend.Choice choice = Backend.configure();
        Map<String, String> info = Backend.describe();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("build", choice.build().word());
        out.put("library", info.get("native library"));
        out.put("binaryLevel", info.get("binary level"));
        out.put("env", info.get("environment"));
        out.put("gemm1024", gflops(1024, reps + 3));
        out.put("gemm2048", gflops(2048, reps));
        List<Double> check = new ArrayList<>();
        out.put("stepMs", trainStep(reps, check));
        out.put("stepCpuMs", stepCpuMs);
        check.addAll(gemmCheck());
        out.put("check", check);
        System.out.println(json(out));
    }

    private static double gflops(int n, int reps) {
        INDArray a = random(new long[] {n, n}, 1, 1), b = random(new long[] {n, n}, 2, 1), c = Nd4j.create(DataType.FLOAT, n, n);
        for (int i = 0; i < 2; i++) a.mmuli(b, c);
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            a.mmuli(b, c);
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        return 2.0 * n * n * n / median(t) / 1e9;
    }

    /** Entries of a fixed 512×512 product, for the cross-build comparison. */
    private static List<Double> gemmCheck() {
        INDArray c = random(new long[] {512, 512}, 3, 1).mmul(random(new long[] {512, 512}, 4, 1));
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < 8; i++) v.add(c.getDouble(i * 61, (i * 97) % 512));
        v.add(c.sumNumber().doubleValue());
        return v;
    }

    private static double trainStep(int reps, List<Double> check) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, B * T, D);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, B * T, V);
        int seed = 10;
        SDVariable h = sd.nn.layerNorm(x, sd.var("g1", Nd4j.ones(DataType.FLOAT, D)), sd.var("b1", Nd4j.zeros(DataType.FLOAT, D)), false, 1);
        SDVariable q = heads(sd, h.mmul(weight(sd, "wq", D, D, seed++)));
        SDVariable k = heads(sd, h.mmul(weight(sd, "wk", D, D, seed++)));
        SDVariable v = heads(sd, h.mmul(weight(sd, "wv", D, D, seed++)));
        SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(D / H)).add(sd.constant("mask", causalMask()));
        SDVariable att = sd.mmul(sd.nn.softmax(scores, -1), v).permute(0, 2, 1, 3).reshape(B * T, D);
        SDVariable r1 = x.add(att.mmul(weight(sd, "wo", D, D, seed++)));
        SDVariable h2 = sd.nn.layerNorm(r1, sd.var("g2", Nd4j.ones(DataType.FLOAT, D)), sd.var("b2", Nd4j.zeros(DataType.FLOAT, D)), false, 1);
        SDVariable f = sd.nn.preciseGelu(h2.mmul(weight(sd, "w1", D, FF, seed++)).add(sd.var("c1", Nd4j.zeros(DataType.FLOAT, FF))))
                .mmul(weight(sd, "w2", FF, D, seed++)).add(sd.var("c2", Nd4j.zeros(DataType.FLOAT, D)));
        SDVariable logits = r1.add(f).mmul(weight(sd, "wout", D, V, seed));
        SDVariable loss = sd.loss.softmaxCrossEntropy("loss", y, logits, null);
        sd.setLossVariables(loss);

        INDArray labels = Nd4j.zeros(DataType.FLOAT, B * T, V);
        Random rnd = new Random(5);
        for (int i = 0; i < B * T; i++) labels.putScalar(i, rnd.nextInt(V), 1f);
        Map<String, INDArray> feed = Map.of("x", random(new long[] {B * T, D}, 6, 1), "y", labels);
        List<String> weights = List.of("wq", "wk", "wv", "wo", "w1", "w2", "wout", "g1", "g2");

        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));   // createGradFunction prints every op
        Map<String, INDArray> grads;
        try {
            grads = sd.calculateGradients(feed, weights);
        } finally {
            System.setOut(stdout);
        }
        check.add(sd.output(feed, "loss").get("loss").getDouble(0));
        for (String w : weights) check.add(grads.get(w).norm1Number().doubleValue());

        for (int i = 0; i < 2; i++) sd.calculateGradients(feed, weights);
        double[] t = new double[reps], cpu = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime(), c = cpuNanos();
            sd.calculateGradients(feed, weights);
            t[i] = (System.nanoTime() - s) / 1e6;
            cpu[i] = (cpuNanos() - c) / 1e6;
        }
        stepCpuMs = median(cpu);
        return median(t);
    }

    /**
     * CPU time of the whole process (all threads). With OMP_WAIT_POLICY=PASSIVE idle threads sleep, so this is
     * the work a step costs, and it does not grow when other processes compete for the cores as wall time does.
     */
    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    /** [B·T, D] → [B, H, T, D/H]. */
    private static SDVariable heads(SameDiff sd, SDVariable v) {
        return v.reshape(B, T, H, D / H).permute(0, 2, 1, 3);
    }

    private static INDArray causalMask() {
        float[] m = new float[T * T];
        for (int i = 0; i < T; i++) for (int j = i + 1; j < T; j++) m[i * T + j] = -1e9f;
        return Nd4j.createFromArray(m).reshape(1, 1, T, T);
    }

    private static SDVariable weight(SameDiff sd, String name, int in, int out, int seed) {
        return sd.var(name, random(new long[] {in, out}, seed, 1 / Math.sqrt(in)));
    }

    /** Uniform in ±scale·√3 (unit variance times scale) from a fixed Java seed: identical across builds. */
    private static INDArray random(long[] shape, long seed, double scale) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * Math.sqrt(3) * scale);
        return Nd4j.createFromArray(v).reshape(shape);
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String json(Map<String, Object> m) {
        return m.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + value(e.getValue())).collect(Collectors.joining(", ", "{", "}"));
    }

    private static String value(Object o) {
        if (o instanceof Double d) return String.format(Locale.ROOT, "%.9g", d);
        if (o instanceof List<?> l) return l.stream().map(NativeBenchmark::value).collect(Collectors.joining(", ", "[", "]"));
        return "\"" + String.valueOf(o).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
