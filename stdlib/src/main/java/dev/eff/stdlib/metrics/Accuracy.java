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
 * Classification accuracy: the fraction of labels whose class has the highest score,
 * {@code mean_n [argmax_c z_nc = y_n]}, over examples or, for sequence labels, over every position.
 * Ties go to the lowest class index. Negative labels mark unlabelled positions and are left out of the mean.
 */
@AutoService(Component.class)
public final class Accuracy implements Metric {

    static final Signature SIGNATURE = new Signature(Kind.METRIC, "accuracy", null,
            "Fraction of labels (examples, or positions for [B, T] labels) whose class gets the highest score. "
                    + "Labels < 0 are ignored.",
            List.of());

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public void check(Args args, Shape output, DataSchema.Field label, long classes) throws ShapeException {
        Targets.checkClasses("accuracy", output, label, classes);
    }

    @Override
    public Accumulator start(Args args, long classes) {
        return new Accumulator() {
            private long correct, total;

            @Override
            public void add(INDArray output, INDArray labels) {
                int[] y = HostArrays.ints(labels);
                double[] z = HostArrays.scoreRows(output, y.length, classes);
                int c = Math.toIntExact(classes);
                for (int n = 0; n < y.length; n++) {
                    if (y[n] < 0) continue;
                    total++;
                    int best = 0;
                    for (int k = 1; k < c; k++) if (z[n * c + k] > z[n * c + best]) best = k;
                    if (best == y[n]) correct++;
                }
            }

            @Override
            public double result() { return total == 0 ? Double.NaN : (double) correct / total; }
        };
    }
}
