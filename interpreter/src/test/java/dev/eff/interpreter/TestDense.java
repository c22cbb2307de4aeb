package dev.eff.interpreter;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Init;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.Lowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/** Test-only dense layer on [B, d] inputs: {@code x·W + b}, optionally followed by tanh. */
public final class TestDense implements Layer {
    static final Signature SIG = new Signature(Kind.LAYER, "dense", null, "test dense",
            List.of(Param.required("units", Type.positive(), "width"), Param.of("tanh", new Type.Bool(), false, "tanh")));

    @Override public Signature signature() { return SIG; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) {
        return input.withLast(args.integer("units"));
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long in = input.last(), out = output.last();
        return Cost.of(in * out + out, 2 * in * out);
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        try {
            long in = ctx.inputShape().last(), out = ctx.outputShape().last();
            SDVariable w = ctx.param("W", new long[] {in, out}, Init.glorot(in, out));
            SDVariable b = ctx.param("b", new long[] {out}, Init.ZEROS);
            SDVariable y = input.mmul(w).add(b);
            return args.bool("tanh") ? ctx.sd().math().tanh(y) : y;
        } catch (ShapeException e) {
            throw new IllegalStateException(e);
        }
    }
}
