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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Diagnostic for the quickstart: dumps the first batch, the initial parameters, the loss and gradients on that
 * batch, and the parameters after N training steps on it, for interpreter/src/test/python/recall_parity.py.
 * Args: script, output file, steps.
 */
public final class RecallParity {
    public static void main(String[] args) throws Exception {
        Path script = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int steps = Integer.parseInt(args[2]);
        var checked = Frontend.check(script, Registry.standard(), Map.of());
        TrainJob job = (TrainJob) checked.program().jobs().get(0);
        DataSource source = (DataSource) job.data().spec();
        Dataset data = source.load(job.data().args(), "train", script.toAbsolutePath().getParent()).slice(0, job.batch());
        CompiledModel model = ModelCompiler.standard().compile(job.model(), job.data().schema(), job.loss(), job.seed(), DataType.FLOAT);
        try (PrintWriter w = new PrintWriter(out.toFile())) {
            dump(w, "X", data.inputs().get(0));
            dump(w, "Y", data.labels());
            model.parameters().forEach((n, a) -> dump(w, "P " + n, a));
            var res = model.sd().calculateGradientsAndOutputs(model.feed(data.inputs(), data.labels(), true),
                    List.of(model.loss()), List.copyOf(model.parameters().keySet()));
            dump(w, "L", res.getOutputs().get(model.loss()));
            res.getGradients().forEach((n, a) -> dump(w, "G " + n, a));
            TrainPlan plan = new TrainPlan(job.batch(), steps, 0, job.seed(), (Optimizer) Registry.standard()
                    .find(dev.eff.dsl.check.Kind.OPTIMIZER, job.optimizer().name(), null), job.optimizer().asArgs(), null, 0, job.span());
            new Trainer().train(model, data, plan, new TrainListener() {});
            model.parameters().forEach((n, a) -> dump(w, "Q " + n, a));
        }
    }

    private static void dump(PrintWriter w, String tag, INDArray a) {
        double[] v = a.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        w.println(tag + "\t" + Arrays.toString(a.shape()) + "\t" + Arrays.toString(v));
    }
}
