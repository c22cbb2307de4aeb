package dev.eff.interpreter.train;

import dev.eff.interpreter.compile.CompiledModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The side outputs of a run, kept on the host: every auxiliary loss at every step, and for every layer's probe its
 * running mean plus a sample at most {@link #SAMPLES} times per run (every ⌈steps / SAMPLES⌉ steps and the last).
 * Probes are sampled, not stored per step, because a per-expert load vector of 64 values in 12 layers over a long run
 * would swamp the report; the running mean still counts every step, and the samples are enough to plot a trend.
 */
public final class SideOutputLog {
    public static final int SAMPLES = 100;

    private final Map<String, double[]> auxiliaries = new LinkedHashMap<>();
    private final Map<CompiledModel.Probe, Mean> means = new LinkedHashMap<>();
    private final Map<CompiledModel.Probe, List<ProbeSeries.Sample>> samples = new LinkedHashMap<>();
    private final long totalSteps, every;

    public SideOutputLog(Collection<String> auxNames, List<CompiledModel.Probe> probes, long totalSteps) {
        for (String n : auxNames) auxiliaries.put(n, new double[Math.toIntExact(totalSteps)]);
        for (CompiledModel.Probe p : probes) {
            means.put(p, new Mean());
            samples.put(p, new ArrayList<>());
        }
        this.totalSteps = totalSteps;
        this.every = Math.max(1, (totalSteps + SAMPLES - 1) / SAMPLES);
    }

    /** Records step {@code step} (0-based). Probe arrays are read at once: the graph recycles them on its next run. */
    public void record(int step, Map<String, Double> aux, Map<CompiledModel.Probe, INDArray> probes) {
        aux.forEach((name, v) -> auxiliaries.get(name)[step] = v);
        boolean sample = (step + 1) % every == 0 || step + 1 == totalSteps;
        probes.forEach((p, arr) -> {
            double[] v = arr.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
            means.get(p).add(v);
            if (sample) samples.get(p).add(new ProbeSeries.Sample(step + 1, v));
        });
    }

    /** Takes the auxiliary losses of the first {@code steps} steps from a checkpoint (a resumed run). */
    void restore(int steps, Map<String, double[]> aux) {
        aux.forEach((name, values) -> {
            double[] mine = auxiliaries.get(name);
            if (mine != null) System.arraycopy(values, 0, mine, 0, Math.min(steps, values.length));
        });
    }

    /** Each auxiliary loss (summed over its layers, unweighted) per step, in step order. */
    public Map<String, double[]> auxiliaries() {
        return java.util.Collections.unmodifiableMap(auxiliaries);
    }

    /** Each probe's mean over the recorded steps and its samples, in layer order. */
    public List<ProbeSeries> probes() {
        List<ProbeSeries> out = new ArrayList<>();
        means.forEach((p, m) -> out.add(new ProbeSeries(p.layer(), p.name(), m.value(), List.copyOf(samples.get(p)))));
        return out;
    }

    /** An element-wise running mean of equally shaped vectors. */
    static final class Mean {
        private double[] sum;
        private long count;

        void add(double[] v) {
            if (sum == null) sum = new double[v.length];
            for (int i = 0; i < v.length; i++) sum[i] += v[i];
            count++;
        }

        double[] value() {
            if (sum == null) return new double[0];
            double[] out = new double[sum.length];
            for (int i = 0; i < out.length; i++) out[i] = sum[i] / count;
            return out;
        }
    }
}
