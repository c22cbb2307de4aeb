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

/** Mean squared error over every predicted value of the split: {@code mean_{n,k} (ŷ_nk - y_nk)²}. */
@AutoService(Component.class)
public final class MeanSquaredErrorMetric implements Metric {

    static final Signature SIGNATURE = new Signature(Kind.METRIC, "mse", null,
            "Mean squared error of a regression model over all predicted values of the split.", List.of());

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public void check(Args args, Shape output, DataSchema.Field label, long classes) throws ShapeException {
        Targets.checkRegression("mse", output, label, classes);
    }

    @Override
    public Accumulator start(Args args, long classes) {
        return new Accumulator() {
            private double sum;
            private long total;

            @Override
            public void add(INDArray output, INDArray labels) {
                double[] p = HostArrays.doubles(output);
                double[] y = HostArrays.doubles(labels);
                if (p.length != y.length) {
                    throw new IllegalArgumentException(p.length + " predictions for " + y.length + " targets");
                }
                for (int i = 0; i < p.length; i++) sum += (p[i] - y[i]) * (p[i] - y[i]);
                total += p.length;
            }

            @Override
            public double result() { return total == 0 ? Double.NaN : sum / total; }
        };
    }
}
