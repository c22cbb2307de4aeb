package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
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

/** An affine map on the last axis with no nonlinearity: y = x·W + b, W [in, units], b [units]. */
@AutoService(Component.class)
public final class Linear implements PositionWise {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "linear", null,
            "Affine map on the last axis, x·W + b, with no activation.",
            List.of(Param.required("units", Type.positive(), "output width"),
                    Param.of("bias", new Type.Bool(), true, "add a learned bias")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloat(input, 2);
        return Projection.output(input, args.integer("units"));
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long in = input.last(), units = args.integer("units");
        boolean bias = args.bool("bias");
        return Cost.of(Projection.params(in, units, bias), Projection.flops(Shapes.rowsPerExample(input), in, units, bias));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        return Projection.lastAxis(ctx, input, args.integer("units"), args.bool("bias"), ActivationFn.NONE);
    }
}
