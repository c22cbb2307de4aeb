package dev.eff.stdlib.losses;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.LossFn;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Mean squared error against float targets: {@code L = mean_{n,k} (ŷ_nk - y_nk)²}, the mean over every
 * output value of the batch. Targets are reshaped to the output's shape ({@code [B]} against {@code [B, 1]}).
 */
@AutoService(Component.class)
public final class MeanSquaredError implements LossFn {

    static final Signature SIGNATURE = new Signature(Kind.LOSS, "mse", null,
            "Mean squared error for float (regression) targets: the mean of (output - target)² over all values.",
            List.of());

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public void check(Args args, Shape output, DataSchema.Field label, long classes) throws ShapeException {
        Targets.checkRegression("mse", output, label, classes);
    }

    @Override
    public SDVariable lower(SameDiff sd, Args args, SDVariable output, SDVariable labels, long classes) {
        SDVariable diff = output.reshape(-1).sub(labels.castTo(output.dataType()).reshape(-1));
        return diff.mul(diff).mean();
    }
}
