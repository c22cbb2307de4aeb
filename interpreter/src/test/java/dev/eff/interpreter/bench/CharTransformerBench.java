package dev.eff.interpreter.bench;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.train.TrainListener;
import dev.eff.interpreter.train.TrainPlan;
import dev.eff.interpreter.train.Trainer;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Optimizer;
import dev.eff.stdlib.Registry;
import dev.eff.stdlib.ScopedLowering;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Train-step time of scripts/char_transformer.eff run by Eff against the same model written directly in
 * SameDiff ({@link HandWrittenCharLm}), alternating the two, on the same batches. Prints per-repetition
 * medians, the median over repetitions, and the ratio Eff / hand-written.
 *
 * <pre>mvn -q -o -pl interpreter -am test-compile && mvn -q -o -pl interpreter exec:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=dev.eff.interpreter.bench.CharTransformerBench -Dexec.args="5 12"</pre>
 */
public final class CharTransformerBench {
    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int warm = 3;
        dev.eff.accelerators.Backend.configure();
        Path script = Path.of(args.length > 2 ? args[2] : "scripts/char_transformer.eff");
        var checked = Frontend.check(script, Registry.standard(), Map.of());
        if (checked.program() == null) {
            System.err.print(checked.diagnostics().render());
            System.exit(65);
        }
        TrainJob job = (TrainJob) checked.program().jobs().get(0);
        DataSource source = (DataSource) job.data().spec();
        Dataset data = source.load(job.data().args(), "train", script.toAbsolutePath().getParent());
        long[] shape = job.model().inputs().get(0).shape().example();
        int t = (int) shape[0];
        int batch = job.batch();
        System.out.printf("char transformer: %s, batch %d, seq %d, %d steps per repetition (first %d not timed), %d repetitions%n",
                job.model().instance(), batch, t, steps, warm, reps);

        List<Double> eff = new ArrayList<>(), hand = new ArrayList<>(), effFit = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            eff.add(effRun(job, data, steps, warm));
            hand.add(handRun(job, data, t, steps, warm));
            effFit.add(effGraphWithFit(job, data, steps, warm));
            System.out.printf("rep %d: eff %.1f ms/step, hand-written %.1f ms/step, eff graph + sd.fit %.1f ms/step%n",
                    r + 1, eff.get(r), hand.get(r), effFit.get(r));
        }
        double e = median(eff), h = median(hand), f = median(effFit);
        System.out.printf("median: eff %.1f ms/step, hand-written SameDiff %.1f ms/step, ratio eff/hand %.3f%n", e, h, e / h);
        System.out.printf("        eff's graph trained by sd.fit %.1f ms/step, ratio to hand-written %.3f%n", f, f / h);
    }

    private static double effRun(TrainJob job, Dataset data, int steps, int warm) throws Exception {
        ModelCompiler compiler = new ModelCompiler(Registry.standard(), ScopedLowering::new);
        CompiledModel model = compiler.compile(job.model(), job.data().schema(), job.loss(), job.seed(), DataType.FLOAT);
        TrainPlan plan = new TrainPlan(job.batch(), steps, 0, job.seed(), (Optimizer) Registry.standard()
                .find(dev.eff.dsl.check.Kind.OPTIMIZER, job.optimizer().name(), null), job.optimizer().asArgs(), null, 0, job.span());
        double[] at = new double[steps + 1];
        new Trainer().train(model, data, plan, new TrainListener() {
            @Override public void step(long step, long total, double loss, long seen, double seconds) { at[(int) step] = seconds; }
        });
        return medianStep(at, warm);
    }

    /** Eff's compiled graph, trained the way the hand-written one is: separates graph cost from trainer cost. */
    private static double effGraphWithFit(TrainJob job, Dataset data, int steps, int warm) {
        ModelCompiler compiler = new ModelCompiler(Registry.standard(), ScopedLowering::new);
        CompiledModel model = compiler.compile(job.model(), job.data().schema(), job.loss(), job.seed(), DataType.FLOAT);
        SameDiff sd = model.sd();
        sd.setTrainingConfig(org.nd4j.autodiff.samediff.TrainingConfig.builder()
                .updater(new org.nd4j.linalg.learning.config.Adam(job.optimizer().asArgs().real("lr")))
                .dataSetFeatureMapping(model.inputs().get(0)).dataSetLabelMapping(model.labels()).build());
        sd.getVariable(model.training()).setArray(org.nd4j.linalg.factory.Nd4j.scalar(DataType.FLOAT, 1f));
        return fitSteps(sd, job, data, steps, warm);
    }

    private static double handRun(TrainJob job, Dataset data, int t, int steps, int warm) {
        var opt = job.optimizer().asArgs();
        SameDiff sd = HandWrittenCharLm.build(256, t, 256, 4, 4, opt.real("lr"),
                opt.has("weightDecay") ? opt.real("weightDecay") : 0, job.seed());
        long handParams = sd.variables().stream().filter(v -> v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE)
                .mapToLong(v -> v.getArr().length()).sum();
        if (handParams != job.model().cost().params()) {
            throw new IllegalStateException("the hand-written model has " + handParams + " parameters, the script's "
                    + job.model().cost().params() + ": they are not the same model");
        }
        return fitSteps(sd, job, data, steps, warm);
    }

    /** Median ms per {@code sd.fit} step on the job's batches, after {@code warm} untimed steps. */
    private static double fitSteps(SameDiff sd, TrainJob job, Dataset data, int steps, int warm) {
        dev.eff.interpreter.train.BatchOrder order = new dev.eff.interpreter.train.BatchOrder(data.size(), job.batch(), job.seed());
        double[] at = new double[steps + 1];
        long start = System.nanoTime();
        for (int s = 1; s <= steps; s++) {
            Dataset b = data.select(order.next());
            sd.fit(new DataSet(b.inputs().get(0), b.labels()));
            at[s] = (System.nanoTime() - start) / 1e9;
        }
        return medianStep(at, warm);
    }

    private static double medianStep(double[] at, int warm) {
        double[] d = new double[at.length - 1 - warm];
        for (int i = 0; i < d.length; i++) d[i] = (at[warm + i + 1] - at[warm + i]) * 1000;
        return median(Arrays.stream(d).boxed().toList());
    }

    private static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
