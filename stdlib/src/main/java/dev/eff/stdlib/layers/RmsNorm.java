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
import dev.eff.stdlib.Init;

/**
 * Root-mean-square normalisation over the last axis (Zhang &amp; Sennrich 2019): y = x / √(mean(x²) + eps) · g,
 * with a learned gain g (ones) and no centring or bias.
 */
@AutoService(Component.class)
public final class RmsNorm implements PositionWise {

    /** Primitive ops per element: square, mul, mul (+ one reduction). */
    private static final long FLOPS_PER_ELEMENT = 4;

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "rmsNorm", null,
            "RMS normalisation over the last axis, with a learned gain (no centring, no bias).",
            List.of(Param.of("eps", Type.positiveReal(), 1e-6, "added to the mean square before the square root")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloat(input, 2);
        return input;
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        return Cost.of(input.last(), Exact.times(FLOPS_PER_ELEMENT, input.exampleElements()));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        long[] example = Shapes.example(ctx.inputShape());
        long width = example[example.length - 1];
        RowNorm n = new RowNorm(ctx, input, width);
        SDVariable x = n.rows();
        SDVariable meanSquare = n.rowMean(ctx.sd().math.square(x));
        SDVariable gain = ctx.param("g", new long[] {width}, Init.ONES);
        return n.result(x.mul(n.wide(ctx.sd().math.rsqrt(meanSquare.add(args.real("eps"))))).mul(n.tall(gain)));
    }
}
