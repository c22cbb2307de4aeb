package dev.eff.interpreter;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.SideOutput;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Init;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.Lowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Test-only dense layer with side outputs: {@code y = x·W} (no bias), auxiliary loss {@code l2 = Σ W²}, probe
 * {@code activation} = the mean of y over the batch (one value per unit) and probe {@code mode}, 1 in an inference
 * graph and 0 in a training graph. With {@code undeclared = true} it also emits an aux it does not declare.
 */
public final class TestAuxDense implements Layer {
    public static final Signature SIG = new Signature(Kind.LAYER, "auxDense", null, "test dense with side outputs",
            List.of(Param.required("units", Type.positive(), "width"), Param.of("undeclared", new Type.Bool(), false, "misbehave")));

    @Override public Signature signature() { return SIG; }

    @Override public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) { return input.withLast(args.integer("units")); }

    @Override public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) { return Cost.FREE; }

    @Override
    public List<SideOutput> sideOutputs(Args args) {
        return List.of(SideOutput.aux("l2", "squared weights"), SideOutput.probe("activation", "mean output per unit"),
                SideOutput.probe("mode", "1 at inference"));
    }

    @Override public List<SideOutput> possibleSideOutputs() { return sideOutputs(null); }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        long in = ((dev.eff.dsl.check.Dim.Fixed) ctx.inputShape().dim(ctx.inputShape().rank() - 1)).size();
        long out = args.integer("units");
        SDVariable w = ctx.param("W", new long[] {in, out}, new Init.Uniform(0.5));
        SDVariable y = input.mmul(w);
        ctx.aux("l2", w.mul(w).sum());
        ctx.probe("activation", y.mean(0));
        ctx.probe("mode", ctx.sd().constant(ctx.name("mode"), ctx.inference() ? 1.0 : 0.0).castTo(ctx.dtype()));
        if (args.bool("undeclared")) ctx.aux("extra", w.sum());
        return y;
    }
}
