package dev.eff.stdlib.metrics;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Metric;
import dev.eff.stdlib.losses.Targets;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Perplexity: the exponential of the mean cross-entropy per label, {@code exp(-mean_n log softmax(z_n)_{y_n})},
 * over all labels y_n ≥ 0 of the split (not a mean of per-batch perplexities; negative labels mark
 * unlabelled positions). Log-softmax uses the max-shift, so large scores do not overflow.
 */
@AutoService(Component.class)
public final class Perplexity implements Metric {

    static final Signature SIGNATURE = new Signature(Kind.METRIC, "perplexity", null,
            "exp of the mean cross-entropy per label (per token for language models); 1 is perfect, C is chance. "
                    + "Labels < 0 are ignored.",
            List.of());

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public void check(Args args, Shape output, DataSchema.Field label, long classes) throws ShapeException {
        Targets.checkClasses("perplexity", output, label, classes);
    }

    @Override
    public Accumulator start(Args args, long classes) {
        return new Accumulator() {
            private double nll;
            private long total;

            @Override
            public void add(INDArray output, INDArray labels) {
                int[] y = HostArrays.ints(labels);
                double[] z = HostArrays.scoreRows(output, y.length, classes);
                int c = Math.toIntExact(classes);
                for (int n = 0; n < y.length; n++) {
                    if (y[n] < 0) continue;
                    total++;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < c; k++) max = Math.max(max, z[n * c + k]);
                    double sum = 0;
                    for (int k = 0; k < c; k++) sum += Math.exp(z[n * c + k] - max);
                    nll += max + Math.log(sum) - z[n * c + y[n]];
                }
            }

            @Override
            public double result() { return total == 0 ? Double.NaN : Math.exp(nll / total); }
        };
    }
}
