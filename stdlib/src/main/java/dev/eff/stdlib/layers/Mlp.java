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
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The transformer feed-forward block on the last axis: y = act(x·W1 + b1)·W2 + b2 with W1 [d, hidden],
 * or for swiglu y = (silu(x·W + b) ⊙ (x·V + c))·W2 + b2, where W and V are one fused [d, 2·hidden] matrix.
 */
@AutoService(Component.class)
public final class Mlp implements PositionWise {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "mlp", null,
            "Two-layer feed-forward block on the last axis (the transformer FFN), with biases: "
                    + "act(x·W1 + b1)·W2 + b2.",
            List.of(Param.required("hidden", Type.positive(), "width of the hidden layer"),
                    Param.choice("activation", "gelu or relu between the layers, or swiglu: silu(x·W) ⊙ (x·V)",
                            "gelu", "relu", "swiglu"),
                    Param.of("out", Type.atLeast(0), 0, "output width; 0 keeps the input width")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloat(input, 2);
        return Projection.output(input, outWidth(args, input.last()));
    }

    /** The hidden layer before and after its activation ([rows, hidden], twice that wide for swiglu's fused gate). */
    @Override
    public long intermediateElements(Args args, Shape input, Shape output) throws ShapeException {
        long hidden = args.integer("hidden"), rows = Shapes.rowsPerExample(input);
        return Math.multiplyExact(Math.multiplyExact(rows, hidden), args.symbol("activation").equals("swiglu") ? 3 : 2);
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long d = input.last(), hidden = args.integer("hidden"), out = outWidth(args, d), rows = Shapes.rowsPerExample(input);
        boolean swiglu = args.symbol("activation").equals("swiglu");
        long first = swiglu ? 2 * hidden : hidden;
        long act = rows * hidden * (swiglu ? ActivationFn.SILU.flopsPerElement + 1 : ActivationFn.of(args.symbol("activation")).flopsPerElement);
        return Cost.of(Projection.params(d, first, true) + Projection.params(hidden, out, true),
                Projection.flops(rows, d, first, true) + act + Projection.flops(rows, hidden, out, true));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        SameDiff sd = ctx.sd();
        long[] example = Shapes.example(ctx.inputShape());
        long d = example[example.length - 1], hidden = args.integer("hidden"), out = outWidth(args, d);
        SDVariable rows = Projection.toRows(input, example);
        SDVariable h;
        if (args.symbol("activation").equals("swiglu")) {
            SDVariable[] gateAndValue = sd.split(Projection.rows(ctx, rows, d, 2 * hidden, true, "W1", "b1"), 2, 1);
            h = sd.nn.swish(gateAndValue[0]).mul(gateAndValue[1]);
        } else {
            h = ActivationFn.of(args.symbol("activation")).apply(sd, Projection.rows(ctx, rows, d, hidden, true, "W1", "b1"));
        }
        long[] outExample = example.clone();
        outExample[outExample.length - 1] = out;
        return Projection.fromRows(Projection.rows(ctx, h, hidden, out, true, "W2", "b2"), outExample);
    }

    private static long outWidth(Args args, long inputWidth) {
        long out = args.integer("out");
        return out == 0 ? inputWidth : out;
    }
}
