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

    /** Metric values by request name (in request order), and each layer's probes averaged over the batches. */
    public record Evaluation(Map<String, Double> metrics, List<ProbeSeries> probes) {}

    /** Runs the model's output and its probes in one pass per batch. */
    public Evaluation evaluate(CompiledModel model, Dataset data, int batch, List<Request> requests, long classes) {
        List<Metric.Accumulator> accs = new ArrayList<>();
        for (Request r : requests) accs.add(r.metric().start(r.args(), classes));
        List<String> fetch = new ArrayList<>(List.of(model.output()));
        Map<CompiledModel.Probe, SideOutputLog.Mean> probes = new LinkedHashMap<>();
        for (CompiledModel.Probe p : model.probes()) {
            fetch.add(p.variable());
            probes.put(p, new SideOutputLog.Mean());
        }
        String[] names = fetch.toArray(String[]::new);
        for (long from = 0; from < data.size(); from += batch) {
            Dataset b = data.slice(from, Math.min(data.size(), from + batch));
            Map<String, INDArray> out = model.run(model.feed(b.inputs(), null, false), List.of(names));
            for (Metric.Accumulator a : accs) a.add(out.get(model.output()), b.labels());
            probes.forEach((p, m) -> m.add(out.get(p.variable()).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble()));
        }
        Map<String, Double> result = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) result.put(requests.get(i).name(), accs.get(i).result());
        List<ProbeSeries> probeMeans = new ArrayList<>();
        probes.forEach((p, m) -> probeMeans.add(new ProbeSeries(p.layer(), p.name(), m.value(), null)));
        return new Evaluation(result, probeMeans);
    }
}
