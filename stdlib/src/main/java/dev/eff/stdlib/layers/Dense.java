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
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.PositionWise;
import dev.eff.stdlib.Lowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A fully connected layer on the last axis: y = act(x·W + b), W [in, units] (Glorot uniform), b [units]
 * (zeros). Inputs of any rank ≥ 2 are accepted; every position is projected with the same weights.
 */
@AutoService(Component.class)
public final class Dense implements PositionWise {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "dense", null,
            "Fully connected layer on the last axis: act(x·W + b).",
            List.of(Param.required("units", Type.positive(), "output width"),
                    Param.of("bias", new Type.Bool(), true, "add a learned bias"),
                    Param.choice("activation", "nonlinearity applied to the result", ActivationFn.words(true))));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloat(input, 2);
        return Projection.output(input, args.integer("units"));
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long in = input.last(), units = args.integer("units"), rows = Shapes.rowsPerExample(input);
        boolean bias = args.bool("bias");
        long act = Exact.times(ActivationFn.of(args.symbol("activation")).flopsPerElement, rows, units);
        return Cost.of(Projection.params(in, units, bias), Exact.plus(Projection.flops(rows, in, units, bias), act));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        return Projection.lastAxis(ctx, input, args.integer("units"), args.bool("bias"),
                ActivationFn.of(args.symbol("activation")));
    }
}
