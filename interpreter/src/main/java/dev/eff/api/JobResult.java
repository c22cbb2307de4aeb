package dev.eff.api;

import java.util.List;
import java.util.Map;

/**
 * What one statement did. Training fills {@code steps}, {@code losses} (one per step; past a million steps evenly
 * spaced ones) and {@code finalLoss}; evaluation fills {@code metrics}. Side outputs: {@code auxiliaries} holds each
 * auxiliary loss per training step, {@code probes} each layer's probe ({@code layer/name}) averaged over the run;
 * both are empty for models without side outputs. Fields a statement does not fill are null.
 */
public record JobResult(JobInfo job, Long steps, double[] losses, Double finalLoss, Map<String, Double> metrics,
                        Map<String, double[]> auxiliaries, Map<String, double[]> probes, long examples, double seconds,
                        Double examplesPerSecond) {

    public JobResult {
        metrics = metrics == null ? null : Map.copyOf(metrics);
        auxiliaries = auxiliaries == null ? Map.of() : Map.copyOf(auxiliaries);
        probes = probes == null ? Map.of() : Map.copyOf(probes);
    }

    static JobResult of(JobInfo job, dev.eff.interpreter.run.JobReport r) {
        Map<String, double[]> probes = new java.util.LinkedHashMap<>();
        List<dev.eff.interpreter.train.ProbeSeries> series = r.probes() == null ? List.of() : r.probes();
        for (var p : series) probes.put(p.layer() + "/" + p.name(), p.mean());
        return new JobResult(job, r.steps(), r.losses(), r.finalLoss(), r.metrics(), r.auxiliaries(), probes, r.examples(),
                r.seconds(), r.examplesPerSecond());
    }
}
