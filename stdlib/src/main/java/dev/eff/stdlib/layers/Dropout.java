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
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Inverted dropout: while training, y = x ⊙ m / (1 - rate) with m ~ Bernoulli(1 - rate) drawn afresh per
 * step; at inference y = x. The mode is blended arithmetically from the training flag t ∈ {0, 1},
 * y = x ⊙ (t·m/(1-rate) + 1 - t), because ND4J's dropout ops have no gradient and SameDiff cannot
 * differentiate through control flow; the mask depends on x only through its (integer) shape, so no
 * gradient is asked of the op that draws it. Draws come from ND4J's global generator (Nd4j.getRandom()).
 */
@AutoService(Component.class)
public final class Dropout implements PositionWise {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "dropout", null,
            "Inverted dropout while training; identity at inference.",
            List.of(Param.of("rate", Type.unit(), 0.1, "probability of zeroing each element while training; below 1")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloat(input, 1);
        if (args.real("rate") >= 1) {
            throw new ShapeException("rate must be below 1, got " + args.get("rate").render(),
                    "a rate of 1 would zero every value; typical rates are 0.1 to 0.5");
        }
        return input;
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        return Cost.of(0, args.real("rate") == 0 ? 0 : Exact.times(3, input.exampleElements()));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        double rate = args.real("rate");
        // An inference graph has no dropout op at all; a training graph can still run with the flag off (evaluation
        // of a graph built for training), hence the mask is scaled by the flag.
        if (rate == 0 || ctx.inference()) return ctx.sd().identity(input);
        SameDiff sd = ctx.sd();
        // a Bernoulli(1 - rate) mask of 0s and 1s, from the legacy dropout op applied to ones: it draws afresh at
        // every execution, while M2.1's shape-input random ops (randomuniform, random_bernoulli) repeat one draw
        SDVariable keep = sd.nn.dropout(sd.fill(sd.shape(input), ctx.dtype(), 1.0), 1 - rate).castTo(ctx.dtype());
        SDVariable t = ctx.training().castTo(ctx.dtype());
        SDVariable scale = keep.mul(t.mul(1 / (1 - rate))).add(t.rsub(1.0));
        return input.mul(scale);
    }
}
