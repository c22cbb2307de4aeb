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

/** Elementwise sum with another value of the model, y = x + other (a skip connection); shapes must match. */
@AutoService(Component.class)
public final class Add implements Layer {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "add", null,
            "Elementwise sum with another model value of the same shape (a skip connection).",
            List.of(Shapes.otherParam("added to the input")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireSameShape(input, Shapes.other(refs));
        return input;
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        return Cost.of(0, input.exampleElements());
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        return input.add(refs.get("other"));
    }
}
