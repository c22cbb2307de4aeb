package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Exact;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.PositionWise;
import dev.eff.stdlib.Lowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * An elementwise nonlinearity: relu(x) = max(0, x), the exact gelu(x) = x·Φ(x), tanh, sigmoid
 * σ(x) = 1/(1+e⁻ˣ), or silu(x) = x·σ(x). Shape and element type are unchanged.
 */
@AutoService(Component.class)
public final class Activation implements PositionWise {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "activation", null,
            "Elementwise nonlinearity.",
            List.of(Param.choice("function", "relu = max(0, x); gelu = x·Φ(x) (exact, erf form); tanh; "
                    + "sigmoid = 1/(1+e^-x); silu = x·sigmoid(x)", ActivationFn.words(false))));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloat(input, 1);
        return input;
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        return Cost.of(0, Exact.times(ActivationFn.of(args.symbol("function")).flopsPerElement, input.exampleElements()));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        return ActivationFn.of(args.symbol("function")).apply(ctx.sd(), input);
    }
}
