package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.Lowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Sequence pooling [B, T, d] → [B, d]: the mean or the elementwise max over positions, or the vector at the
 * first or the last position (a classification token, or the summary of a causal model).
 */
@AutoService(Component.class)
public final class Pool implements Layer {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "pool", null,
            "Pool a sequence [B, T, d] into one vector [B, d].",
            List.of(Param.choice("mode", "mean or max over positions, or the first or last position's vector",
                    "mean", "first", "last", "max")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloatRank(input, 3, "[B, T, d]",
                "pool reduces the position axis of a sequence; flatten() turns other layouts into vectors");
        return Shape.batch(input.dtype(), input.last());
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        String mode = args.symbol("mode");
        return Cost.of(0, mode.equals("mean") || mode.equals("max") ? input.exampleElements() : 0);
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        SameDiff sd = ctx.sd();
        long[] example = Shapes.example(ctx.inputShape());
        int t = (int) example[0];
        long d = example[1];
        return switch (args.symbol("mode")) {
            case "mean" -> sd.mean(input, 1);
            case "max" -> sd.max(input, 1);
            case "first" -> position(sd, input, 0, d);
            default -> position(sd, input, t - 1, d);
        };
    }

    /** x[:, t, :] as [B, d]; a slice rather than a gather, whose backward SameDiff runs as a loop. */
    private static SDVariable position(SameDiff sd, SDVariable x, int t, long d) {
        return sd.slice(x, new int[] {0, t, 0}, new int[] {-1, 1, -1}).reshape(-1, d);
    }
}
