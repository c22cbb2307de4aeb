package dev.eff.interpreter.bench;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.MemoryEstimate;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.interpreter.train.TrainListener;
import dev.eff.interpreter.train.TrainPlan;
import dev.eff.interpreter.train.Trainer;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Optimizer;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code eff bench}: one train statement of a script measured under every combination of swept constants. Each
 * combination is checked and compiled first; then the combinations are measured in turn, {@code reps} times over,
 * so that a machine whose speed drifts treats them alike: {@code steps} train steps (after {@code warmup} untimed
 * ones on the first round) and {@code steps} batch-1 forward passes of the inference graph.
 *
 * <p>MFU is the cost model's forward FLOPs per example × batch × 3 (forward and backward) per train step, over the
 * machine's float GEMM peak measured at start (2048² products on c- and f-order operands, the best).
 */
public final class Bench {

    public record Options(int warmup, int steps, int reps, int job) {
        public Options {
            if (warmup < 0 || steps < 1 || reps < 1 || job < 1) throw new IllegalArgumentException("bad bench options");
        }
    }

    /** One combination's figures; times in ms (medians, minima and maxima over every timed step or call). */
    public record Result(Map<String, String> values, String model, int batch, long params, long activeParams,
                         long flopsPerExample, double trainMs, double trainMinMs, double trainMaxMs,
                         double examplesPerSecond, double inferMs, double inferMinMs, double inferMaxMs,
                         long memoryEstimate, double mfu) {}

    /** A combination that does not check: its diagnostics, rendered. */
    public static final class Unchecked extends Exception {
        public Unchecked(String message) { super(message); }
    }

    /** What the bench tells its caller while it works. */
    public interface Events {
        default void prepared(Map<String, String> values, String model) {}
        default void round(int round, int rounds) {}
    }

    private final Registry registry;
    private final ModelCompiler compiler;

    public Bench(Registry registry, ModelCompiler compiler) {
        this.registry = registry;
        this.compiler = compiler;
    }

    private record Prepared(Map<String, String> values, TrainJob job, Dataset data, CompiledModel train, CompiledModel infer,
                            Optimizer optimizer, List<Double> trainMs, List<Double> inferMs) {}

    public List<Result> run(Path script, Map<String, String> base, List<Map<String, String>> combinations, Options o,
                            Events events) throws Unchecked, DataException, RunFailure, IOException {
        List<Prepared> all = new ArrayList<>();
        for (Map<String, String> values : combinations) all.add(prepare(script, base, values, o));
        for (Prepared p : all) events.prepared(p.values(), p.job().model().instance());
        double peak = gemmPeakFlops();
        for (int round = 0; round < o.reps(); round++) {
            events.round(round + 1, o.reps());
            for (Prepared p : all) {
                p.trainMs().addAll(trainSteps(p, round == 0 ? o.warmup() : 0, o.steps()));
                p.inferMs().addAll(inferenceCalls(p, round == 0 ? o.warmup() : 0, o.steps()));
            }
        }
        List<Result> out = new ArrayList<>();
        for (Prepared p : all) {
            var cost = p.job().model().cost();
            int batch = p.job().batch();
            double train = median(p.trainMs());
            out.add(new Result(p.values(), p.job().model().instance(), batch, cost.params(), cost.activeParams(),
                    cost.flops(), train, min(p.trainMs()), max(p.trainMs()), batch / (train / 1e3),
                    median(p.inferMs()), min(p.inferMs()), max(p.inferMs()), MemoryEstimate.of(p.job()).total(),
                    3.0 * cost.flops() * batch / (train / 1e3) / peak));
        }
        return out;
    }

    private Prepared prepare(Path script, Map<String, String> base, Map<String, String> values, Options o)
            throws Unchecked, DataException {
        Map<String, String> overrides = new LinkedHashMap<>(base);
        overrides.putAll(values);
        Frontend.Result checked = Frontend.check(script, registry, overrides);
        if (!checked.ok()) throw new Unchecked("with " + render(values) + ":\n" + checked.diagnostics().render());
        List<TrainJob> trains = checked.program().jobs().stream().filter(j -> j instanceof TrainJob)
                .map(j -> (TrainJob) j).toList();
        if (trains.size() < o.job()) {
            throw new Unchecked(script + " has " + trains.size() + " train statement" + (trains.size() == 1 ? "" : "s")
                    + "; --job " + o.job() + " names none");
        }
        TrainJob job = trains.get(o.job() - 1);
        Path dir = script.toAbsolutePath().getParent();
        Dataset data;
        try {
            data = ((DataSource) job.data().spec()).load(job.data().args(), job.split(), dir);
        } catch (DataException e) {
            throw e.at(job.data().span());
        }
        Parameters params = new Parameters(ModelCompiler.namespace(job.model()));
        CompiledModel train = compiler.compile(job.model(), job.data().schema(), job.loss(), params, job.seed(), DataType.FLOAT);
        CompiledModel infer = compiler.inference(job.model(), job.data().schema(), params, job.seed(), DataType.FLOAT);
        Value.Call opt = job.optimizer();
        Optimizer optimizer = (Optimizer) (opt.spec() != null ? opt.spec() : registry.lookup(Kind.OPTIMIZER, opt.name()).get(0));
        return new Prepared(values, job, data, train, infer, optimizer, new ArrayList<>(), new ArrayList<>());
    }

    /** The times of {@code steps} train steps of the statement's own batch and optimizer, after {@code warmup} more. */
    private static List<Double> trainSteps(Prepared p, int warmup, int steps) throws RunFailure, IOException {
        TrainJob job = p.job();
        TrainPlan plan = new TrainPlan(job.batch(), warmup + steps, 0, job.seed(), p.optimizer(), job.optimizer().asArgs(),
                null, 0, job.span(), job.freeze());
        List<Double> times = new ArrayList<>();
        new Trainer().train(p.train(), p.data(), plan, new TrainListener() {
            private double last;
            @Override public void step(long step, long total, double loss, long seen, double seconds) {
                if (step > warmup) times.add((seconds - last) * 1e3);
                last = seconds;
            }
        });
        return times;
    }

    /** The times of {@code calls} forward passes of the inference graph on one example, after {@code warmup} more. */
    private static List<Double> inferenceCalls(Prepared p, int warmup, int calls) {
        Dataset one = p.data().slice(0, 1);
        Map<String, INDArray> feed = p.infer().feed(one.inputs(), null, false);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < warmup + calls; i++) {
            long start = System.nanoTime();
            p.infer().run(feed, List.of(p.infer().output()));
            if (i >= warmup) times.add((System.nanoTime() - start) / 1e6);
        }
        return times;
    }

    /**
     * This machine's float GEMM peak in FLOP/s: the best of 4 products of two 2048 × 2048 matrices after one untimed,
     * on c-order and on f-order operands (ND4J's f-order products are the faster, up to 1.4×: the peak MFU is held
     * against is the best the machine does, not the rate Eff's own products reach).
     */
    static double gemmPeakFlops() {
        int n = 2048;
        long best = Long.MAX_VALUE;
        for (char order : new char[] {'c', 'f'}) {
            INDArray a = Nd4j.rand(DataType.FLOAT, n, n).dup(order), b = Nd4j.rand(DataType.FLOAT, n, n).dup(order);
            INDArray c = Nd4j.create(DataType.FLOAT, new long[] {n, n}, order);
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                a.mmul(b, c);
                if (i > 0) best = Math.min(best, System.nanoTime() - start);
            }
        }
        return 2.0 * n * n * n / (best / 1e9);
    }

    /** {@code seqLen=1024, kind=performer}, or {@code (no sweep)}. */
    public static String render(Map<String, String> values) {
        if (values.isEmpty()) return "(no sweep)";
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return sb.toString();
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(List<Double> xs) { return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN); }

    private static double max(List<Double> xs) { return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN); }
}
