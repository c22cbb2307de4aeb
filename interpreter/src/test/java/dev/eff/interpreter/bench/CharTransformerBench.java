package dev.eff.interpreter.bench;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.compile.Quiet;
import dev.eff.interpreter.train.BatchOrder;
import dev.eff.interpreter.train.TrainListener;
import dev.eff.interpreter.train.TrainPlan;
import dev.eff.interpreter.train.Trainer;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Optimizer;
import dev.eff.stdlib.Registry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Train-step time of scripts/char_transformer.eff run by Eff against the same model written directly in
 * SameDiff ({@link HandWrittenCharLm}), on the same batches, alternating within each repetition:
 * <ul>
 *   <li>Eff's Trainer on Eff's graph (what {@code eff run} does);</li>
 *   <li>the hand-written graph trained by {@code sd.fit(batch)} once per batch;</li>
 *   <li>the hand-written graph trained by one {@code sd.fit(iterator)} over all batches (SameDiff keeps one
 *       training session, and so its array cache, for the whole loop);</li>
 *   <li>Eff's graph trained by {@code sd.fit(iterator)}: separates graph cost from trainer cost.</li>
 * </ul>
 * Prints per-repetition medians, medians over repetitions, and Eff's ratio to the faster hand-written loop.
 * The first steps of every loop are slower while ND4J's native memory settles (fresh pages until the garbage
 * collector first frees buffers): {@code warm} of them are not timed.
 * The script's constants can be set after it, e.g. one block on longer sequences:
 * {@code interpreter/bench.sh CharTransformerBench 5 12 3 scripts/char_transformer.eff blocks=1 seqLen=512}; the
 * hand-written model takes the checked model's layers, heads and width.
 * Run: {@code interpreter/bench.sh CharTransformerBench [reps] [steps] [warm] [script [NAME=VALUE...]]}.
 */
public final class CharTransformerBench {
    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int warm = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        dev.eff.accelerators.Backend.configure();
        Path script = Path.of(args.length > 3 ? args[3] : "scripts/char_transformer.eff");
        Map<String, String> overrides = new java.util.LinkedHashMap<>();
        for (String a : Arrays.asList(args).subList(Math.min(args.length, 4), args.length)) {
            int eq = a.indexOf('=');
            if (eq < 1) throw new IllegalArgumentException("expected NAME=VALUE, got " + a);
            overrides.put(a.substring(0, eq), a.substring(eq + 1));
        }
        var checked = Frontend.check(script, Registry.standard(), overrides);
        if (checked.program() == null) {
            System.err.print(checked.diagnostics().render());
            System.exit(65);
        }
        TrainJob job = (TrainJob) checked.program().jobs().get(0);
        DataSource source = (DataSource) job.data().spec();
        Dataset data = source.load(job.data().args(), "train", script.toAbsolutePath().getParent());
        long[] shape = job.model().inputs().get(0).shape().example();
        int t = (int) shape[0];
        System.out.printf("char transformer: %s, batch %d, seq %d, %d steps per repetition (first %d not timed), %d repetitions%n",
                job.model().instance(), job.batch(), t, steps, warm, reps);

        List<Double> eff = new ArrayList<>(), perBatch = new ArrayList<>(), loop = new ArrayList<>(), effGraph = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            eff.add(effRun(job, data, steps, warm));
            perBatch.add(fitPerBatch(hand(job, t), job, data, steps, warm));
            loop.add(fitLoop(hand(job, t), job, data, steps, warm));
            effGraph.add(fitLoop(effGraph(job), job, data, steps, warm));
            System.out.printf("rep %d: eff %.1f | hand-written: fit per batch %.1f, fit loop %.1f | eff graph, fit loop %.1f  (ms/step)%n",
                    r + 1, eff.get(r), perBatch.get(r), loop.get(r), effGraph.get(r));
        }
        double e = median(eff), pb = median(perBatch), l = median(loop), g = median(effGraph), best = Math.min(pb, l);
        System.out.printf("median ms/step: eff %.1f | hand-written: fit per batch %.1f, fit loop %.1f | eff graph, fit loop %.1f%n", e, pb, l, g);
        System.out.printf("ratio eff / fastest hand-written %.3f (per batch %.3f, loop %.3f); eff graph / hand-written graph, both fit loop %.3f%n",
                e / best, e / pb, e / l, g / l);
    }

    private static double effRun(TrainJob job, Dataset data, int steps, int warm) throws Exception {
        return median(tail(effSteps(compile(job), job, data, steps), warm));
    }

    /** Milliseconds of each of {@code steps} steps of Eff's Trainer (as {@code eff run} trains) on {@code model}. */
    static double[] effSteps(CompiledModel model, TrainJob job, Dataset data, int steps) throws Exception {
        double[] at = new double[steps + 1];
        new Trainer().train(model, data, plan(job, steps), new TrainListener() {
            @Override public void step(long step, long total, double loss, long seen, double seconds) { at[(int) step] = seconds; }
        });
        return stepMs(at);
    }

    /** The statement's batch, seed and optimizer for {@code steps} steps (its schedule spans those steps). */
    static TrainPlan plan(TrainJob job, int steps) {
        return new TrainPlan(job.batch(), steps, 0, job.seed(), (Optimizer) Registry.standard()
                .find(dev.eff.dsl.check.Kind.OPTIMIZER, job.optimizer().name(), null), job.optimizer().asArgs(), null, 0, job.span());
    }

    static CompiledModel compile(TrainJob job) {
        return ModelCompiler.standard().compile(job.model(), job.data().schema(), job.loss(), job.seed(), DataType.FLOAT);
    }

    /** The hand-written model of the script's sizes: the embedding's width, the model's heads and layers. */
    private static SameDiff hand(TrainJob job, int t) throws dev.eff.dsl.check.ShapeException {
        var model = job.model().params();
        int d = (int) ((dev.eff.dsl.check.Node.Apply) job.model().nodes().get(0)).outputShape().last();
        return hand(job, 256, t, d, model.i("heads"), model.i("layers"));
    }

    /**
     * {@link HandWrittenCharLm} at the script's learning rate, weight decay and seed, with its gradient function built;
     * refused unless it has exactly the script's parameter count.
     */
    static SameDiff hand(TrainJob job, int vocab, int t, int d, int heads, int layers) {
        var opt = job.optimizer().asArgs();
        SameDiff sd = HandWrittenCharLm.build(vocab, t, d, heads, layers, opt.real("lr"),
                opt.has("weightDecay") ? opt.real("weightDecay") : 0, job.seed());
        long handParams = sd.variables().stream().filter(v -> v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE)
                .mapToLong(v -> v.getArr().length()).sum();
        if (handParams != job.model().cost().params()) {
            throw new IllegalStateException("the hand-written model has " + handParams + " parameters, the script's "
                    + job.model().cost().params() + ": they are not the same model");
        }
        Quiet.run(sd::createGradFunction);
        return sd;
    }

    /** Eff's compiled graph with a plain SameDiff training config (Adam at the script's rate), training flag on. */
    private static SameDiff effGraph(TrainJob job) {
        CompiledModel model = compile(job);
        SameDiff sd = model.sd();
        sd.setTrainingConfig(org.nd4j.autodiff.samediff.TrainingConfig.builder()
                .updater(new org.nd4j.linalg.learning.config.Adam(job.optimizer().asArgs().real("lr")))
                .dataSetFeatureMapping(model.inputs().get(0)).dataSetLabelMapping(model.labels()).build());
        sd.getVariable(model.training()).setArray(Nd4j.scalar(DataType.FLOAT, 1f));
        return sd;
    }

    /** Median ms per step of one {@code sd.fit(batch)} call per batch, after {@code warm} untimed steps. */
    private static double fitPerBatch(SameDiff sd, TrainJob job, Dataset data, int steps, int warm) {
        return median(tail(fitPerBatchSteps(sd, job, data, steps), warm));
    }

    /** Milliseconds of each of {@code steps} {@code sd.fit(batch)} calls, one per batch, in the Trainer's batch order. */
    static double[] fitPerBatchSteps(SameDiff sd, TrainJob job, Dataset data, int steps) {
        BatchOrder order = new BatchOrder(data.size(), job.batch(), job.seed());
        double[] at = new double[steps + 1];
        long start = System.nanoTime();
        for (int s = 1; s <= steps; s++) {
            Dataset b = data.select(order.next());
            sd.fit(new DataSet(b.inputs().get(0), b.labels()));
            at[s] = (System.nanoTime() - start) / 1e9;
        }
        return stepMs(at);
    }

    /** Median ms per step of a single {@code sd.fit(iterator, 1)} over {@code steps} batches, timed by a listener. */
    private static double fitLoop(SameDiff sd, TrainJob job, Dataset data, int steps, int warm) {
        BatchOrder order = new BatchOrder(data.size(), job.batch(), job.seed());
        double[] at = new double[steps + 1];
        long start = System.nanoTime();
        sd.fit(new Batches(data, order, steps), 1, new BaseListener() {
            @Override public boolean isActive(Operation operation) { return operation == Operation.TRAINING; }
            @Override public void iterationDone(SameDiff s, At a, MultiDataSet ds, Loss loss) {
                at[a.iteration() + 1] = (System.nanoTime() - start) / 1e9;
            }
        });
        return median(tail(stepMs(at), warm));
    }

    /** {@code steps} batches chosen by {@code order}, selected lazily like the Trainer does. */
    private static final class Batches implements MultiDataSetIterator {
        private final Dataset data;
        private final BatchOrder order;
        private final int steps;
        private int served;

        Batches(Dataset data, BatchOrder order, int steps) {
            this.data = data;
            this.order = order;
            this.steps = steps;
        }

        @Override public boolean hasNext() { return served < steps; }
        @Override public MultiDataSet next() {
            served++;
            Dataset b = data.select(order.next());
            return new org.nd4j.linalg.dataset.MultiDataSet(b.inputs().get(0), b.labels());
        }
        @Override public MultiDataSet next(int num) { return next(); }
        @Override public void setPreProcessor(MultiDataSetPreProcessor p) { throw new UnsupportedOperationException(); }
        @Override public MultiDataSetPreProcessor getPreProcessor() { return null; }
        @Override public boolean resetSupported() { return false; }
        @Override public boolean asyncSupported() { return false; }
        @Override public void reset() { throw new UnsupportedOperationException(); }
    }

    /** Step durations in ms from cumulative times in seconds ({@code at[0]} is the start, 0). */
    static double[] stepMs(double[] at) {
        double[] d = new double[at.length - 1];
        for (int i = 0; i < d.length; i++) d[i] = (at[i + 1] - at[i]) * 1000;
        return d;
    }

    /** The durations after the first {@code warm}. */
    static List<Double> tail(double[] ms, int warm) {
        return Arrays.stream(ms, warm, ms.length).boxed().toList();
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
