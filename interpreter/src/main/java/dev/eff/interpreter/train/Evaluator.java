package dev.eff.interpreter.train;

import dev.eff.dsl.check.Args;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runs a model over a split in batches (training flag off) and accumulates metrics on the host. */
public final class Evaluator {

    /** A metric to compute, under the name it is reported by. */
    public record Request(String name, Metric metric, Args args) {}

    /** Metric values by request name, in request order. */
    public Map<String, Double> evaluate(CompiledModel model, Dataset data, int batch, List<Request> requests, long classes) {
        List<Metric.Accumulator> accs = new ArrayList<>();
        for (Request r : requests) accs.add(r.metric().start(r.args(), classes));
        for (long from = 0; from < data.size(); from += batch) {
            Dataset b = data.slice(from, Math.min(data.size(), from + batch));
            INDArray out = model.sd().output(model.feed(b.inputs(), null, false), model.output()).get(model.output());
            for (Metric.Accumulator a : accs) a.add(out, b.labels());
        }
        Map<String, Double> result = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) result.put(requests.get(i).name(), accs.get(i).result());
        return result;
    }
}
