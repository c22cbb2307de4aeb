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
import dev.eff.stdlib.Init;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.PositionWise;
import dev.eff.stdlib.Lowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Layer normalisation over the last axis: y = (x - μ) / √(σ² + eps) · g + b, with μ and σ² the mean and
 * (biased) variance of each vector, gain g (ones) and bias b (zeros) of the vector's width. Composed from
 * primitives because ND4J's layer_norm has no eps (a constant vector gives 0/0). The variance is the
 * unbiased one rescaled by (n-1)/n: M2.1's backward of the biased sd.variance is wrong, and this is the
 * fastest correct composition measured (LayerBench); training graphs apply the broadcasts as K = 1 products
 * ({@link RowNorm}).
 */
@AutoService(Component.class)
public final class LayerNorm implements PositionWise {

    /** Per element: the two reductions (mean, variance), sub, mul, mul, add, and the variance's square. */
    private static final long FLOPS_PER_ELEMENT = 7;

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "layerNorm", null,
            "Layer normalisation over the last axis, with a learned gain and bias.",
            List.of(Param.of("eps", Type.positiveReal(), 1e-5, "added to the variance before the square root")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloat(input, 2);
        if (input.last() < 2) {
            throw new ShapeException("needs vectors of at least 2 values, got " + input.describe(),
                    "a single value normalises to 0; normalise a wider axis or drop the layer");
        }
        return input;
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        return Cost.of(Exact.times(2, input.last()), Exact.times(FLOPS_PER_ELEMENT, input.exampleElements()));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        long[] example = Shapes.example(ctx.inputShape());
        long width = example[example.length - 1];
        RowNorm n = new RowNorm(ctx, input, width);
        SDVariable x = n.rows();
        SDVariable centred = x.sub(n.wide(n.rowMean(x)));
        SDVariable variance = n.rowVariance(x).mul((width - 1.0) / width);
        SDVariable inverseStd = ctx.sd().math.rsqrt(variance.add(args.real("eps")));
        SDVariable gain = ctx.param("g", new long[] {width}, Init.ONES);
        SDVariable bias = ctx.param("b", new long[] {width}, Init.ZEROS);
        return n.result(centred.mul(n.wide(inverseStd)).mul(n.tall(gain)).add(n.tall(bias)));
    }
}
