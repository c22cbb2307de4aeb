package dev.eff.interpreter.bench;

import dev.eff.api.Eff;
import dev.eff.api.Model;
import dev.eff.api.Results;
import dev.eff.api.SavedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Cost per prediction call through the Java API, batch 1: a model trained in the process ({@link Model#predict}) and
 * the same model loaded from its bundle ({@link SavedModel#predict}), for a small classifier (4 → 16 → 3) and a
 * Fashion-MNIST-sized MLP (784 → 256 → 256 → 10). Each of {@code reps} alternating rounds times {@code calls} calls
 * after as many warm-up calls and reports its median per call; the figures are the medians over rounds. Also the
 * throughput of the loaded model with 1 and 2 threads calling at once (calls run one at a time, so it shows the lock's
 * cost, not parallel speed-up). Run: {@code interpreter/bench.sh PredictLatencyBench [reps] [calls]}.
 */
public final class PredictLatencyBench {
    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path dir = Files.createTempDirectory("eff-latency");
        bench("small 4-16-3", 4, "dense(16, activation = relu); logits(3)", 3, reps, calls, dir);
        bench("mlp 784-256-256-10", 784, "dense(256, activation = relu); dense(256, activation = relu); logits(10)", 10, reps, calls, dir);
    }

    static void bench(String name, int width, String layers, int classes, int reps, int calls, Path dir) throws Exception {
        Random random = new Random(1);
        float[][] x = new float[256][width];
        int[] y = new int[256];
        for (int i = 0; i < x.length; i++) {
            y[i] = i % classes;
            for (int j = 0; j < width; j++) x[i][j] = (float) random.nextGaussian();
        }
        Results r = Eff.with().array("x", x).array("y", y).compile("bench.eff", """
                data d = arrays(inputs = ["x"], label = "y", classes = %d)
                model m { %s }
                train m on d { steps = 5, batch = 32 }
                """.formatted(classes, layers)).run();
        Model model = r.model("m");
        Path bundle = dir.resolve(name.replace(' ', '_') + ".effb");
        model.save(bundle);
        SavedModel loaded = Eff.load(bundle);
        if (!Arrays.deepEquals(model.predict(x[0]), loaded.predict(x[0]))) throw new AssertionError("the loaded model predicts otherwise");
        double[][] inProcess = new double[reps][], fromBundle = new double[reps][];
        for (int k = 0; k < reps; k++) {
            inProcess[k] = micros(i -> model.predict(x[i % x.length]), calls);
            fromBundle[k] = micros(i -> loaded.predict(x[i % x.length]), calls);
        }
        double one = throughput(loaded, x, calls, 1), two = throughput(loaded, x, calls, 2);
        System.out.printf(Locale.ROOT, "%-20s batch 1, medians over %d rounds of %d calls: Model %s; SavedModel %s; "
                        + "SavedModel throughput 1 thread %.0f calls/s, 2 threads %.0f calls/s%n", name, reps, calls,
                describe(inProcess), describe(fromBundle), one, two);
    }

    /** Per round: median, mean and 99th percentile of one call, in µs. */
    static String describe(double[][] rounds) {
        double[] med = new double[rounds.length], mean = new double[rounds.length], p99 = new double[rounds.length];
        for (int k = 0; k < rounds.length; k++) {
            double[] s = rounds[k].clone();
            Arrays.sort(s);
            med[k] = median(s);
            mean[k] = Arrays.stream(s).average().orElse(0);
            p99[k] = s[(int) Math.floor(0.99 * (s.length - 1))];
        }
        return String.format(Locale.ROOT, "median %.0f µs, mean %.0f µs, p99 %.0f µs (round medians %s)", median(med), median(mean),
                median(p99), Arrays.toString(round(med)));
    }

    /** The time of each of {@code calls} calls in µs, after {@code calls} warm-up calls. */
    static double[] micros(Consumer<Integer> call, int calls) {
        for (int i = 0; i < calls; i++) call.accept(i);
        double[] t = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            call.accept(i);
            t[i] = (System.nanoTime() - start) / 1e3;
        }
        return t;
    }

    static double throughput(SavedModel m, float[][] x, int calls, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            Future<?>[] f = new Future<?>[threads];
            for (int t = 0; t < threads; t++) f[t] = pool.submit(() -> { for (int i = 0; i < calls; i++) m.predict(x[i % x.length]); });
            for (Future<?> g : f) g.get();
            return threads * (double) calls / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static long[] round(double[] v) { return Arrays.stream(v).mapToLong(Math::round).toArray(); }
}
