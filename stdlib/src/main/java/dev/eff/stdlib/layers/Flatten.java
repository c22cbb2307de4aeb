package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.Lowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/** Flattens every non-batch dimension into one, in row-major order: [B, d1, …, dn] → [B, d1·…·dn]. */
@AutoService(Component.class)
public final class Flatten implements Layer {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "flatten", null,
            "Flatten all non-batch dimensions into one (row-major).", List.of());

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        if (input.rank() < 2) {
            throw new ShapeException("expects [B, ...] with at least one feature dimension, got " + input.describe(),
                    "the input already holds one value per example");
        }
        return Shape.batch(input.dtype(), input.exampleElements());
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) { return Cost.FREE; }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        long[] example = Shapes.example(ctx.inputShape());
        if (example.length == 1) return ctx.sd().identity(input);
        long n = 1;
        for (long s : example) n *= s;
        return input.reshape(-1, n);
    }
}
