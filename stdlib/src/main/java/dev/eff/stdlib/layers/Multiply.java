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

/** Elementwise product with another value of the model, y = x ⊙ other (gating); shapes must match. */
@AutoService(Component.class)
public final class Multiply implements Layer {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "multiply", null,
            "Elementwise product with another model value of the same shape (gating).",
            List.of(Shapes.otherParam("multiplied with the input")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireSameShape(input, Shapes.other(refs));
        Shapes.requireFloat(input, 1);
        return input;
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        return Cost.of(0, input.exampleElements());
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        return input.mul(refs.get("other"));
    }
}
