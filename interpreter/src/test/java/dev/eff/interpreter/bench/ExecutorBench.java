package dev.eff.interpreter.bench;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.compile.PlannedExecutor;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Eff's planned executor against SameDiff's own session on the same graphs, alternating within each repetition:
 * the train step of a script's first train statement (Eff's Trainer, as {@code eff run}) and batch-1 inference
 * of its model. Prints per-repetition and median ms, and the ratio planned / session.
 * Run: {@code interpreter/bench.sh ExecutorBench [reps] [steps] [warm] script...}.
 */
public final class ExecutorBench {
    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[0]), steps = Integer.parseInt(args[1]), warm = Integer.parseInt(args[2]);
        dev.eff.accelerators.Backend.configure();
        for (int i = 3; i < args.length; i++) bench(Path.of(args[i]), reps, steps, warm);
    }

    private static void bench(Path script, int reps, int steps, int warm) throws Exception {
        var checked = Frontend.check(script, Registry.standard(), Map.of());
        if (checked.program() == null) throw new IllegalArgumentException(checked.diagnostics().render());
        TrainJob job = (TrainJob) checked.program().jobs().stream().filter(j -> j instanceof TrainJob).findFirst().orElseThrow();
        DataSource source = (DataSource) job.data().spec();
        Dataset data = source.load(job.data().args(), "train", script.toAbsolutePath().getParent());
        System.out.printf("%s: %s, batch %d, %d steps per repetition (first %d not timed), %d repetitions%n",
                script.getFileName(), job.model().instance(), job.batch(), steps, warm, reps);
        List<Double> planned = new ArrayList<>(), session = new ArrayList<>(), inferPlanned = new ArrayList<>(), inferSession = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            boolean planFirst = r % 2 == 0;
            for (int k = 0; k < 2; k++) {
                boolean plan = planFirst == (k == 0);
                System.setProperty(PlannedExecutor.SESSION_PROPERTY, Boolean.toString(!plan));
                (plan ? planned : session).add(trainStep(job, data, steps, warm));
                (plan ? inferPlanned : inferSession).add(inference(job, data, steps, warm));
            }
            System.out.printf("rep %d: train step planned %.2f, session %.2f | batch-1 inference planned %.2f, session %.2f (ms)%n",
                    r + 1, planned.get(r), session.get(r), inferPlanned.get(r), inferSession.get(r));
        }
        System.clearProperty(PlannedExecutor.SESSION_PROPERTY);
        System.out.printf("median: train step planned %.2f, session %.2f, ratio %.3f | batch-1 inference planned %.2f, session %.2f, ratio %.3f%n%n",
                median(planned), median(session), median(planned) / median(session),
                median(inferPlanned), median(inferSession), median(inferPlanned) / median(inferSession));
    }

    private static double trainStep(TrainJob job, Dataset data, int steps, int warm) throws Exception {
        CompiledModel model = ModelCompiler.standard().compile(job.model(), job.data().schema(), job.loss(), job.seed(), DataType.FLOAT);
        TrainPlan plan = new TrainPlan(job.batch(), steps, 0, job.seed(), (Optimizer) Registry.standard()
                .find(dev.eff.dsl.check.Kind.OPTIMIZER, job.optimizer().name(), null), job.optimizer().asArgs(), null, 0, job.span());
        double[] at = new double[steps + 1];
        new Trainer().train(model, data, plan, new TrainListener() {
            @Override public void step(long step, long total, double loss, long seen, double seconds) { at[(int) step] = seconds; }
        });
        double[] d = new double[steps - warm];
        for (int i = 0; i < d.length; i++) d[i] = (at[warm + i + 1] - at[warm + i]) * 1000;
        return median(Arrays.stream(d).boxed().toList());
    }

    private static double inference(TrainJob job, Dataset data, int calls, int warm) {
        CompiledModel model = ModelCompiler.standard().forward(job.model(), job.data().schema(), job.seed(), DataType.FLOAT);
        List<INDArray> one = data.select(new int[] {0}).inputs();
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < warm + calls; i++) {
            long start = System.nanoTime();
            model.predict(one);
            if (i >= warm) ms.add((System.nanoTime() - start) / 1e6);
        }
        return median(ms);
    }

    private static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
