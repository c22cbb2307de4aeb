package dev.eff.interpreter;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.Signature;
import dev.eff.stdlib.Init;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.Lowering;
import dev.eff.stdlib.VariableRole;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-only layer with a variable of every role: {@code y = x · scale · gain + shift}, where {@code scale} is state
 * (1.5 everywhere), {@code gain} trainable (ones) and {@code shift} frozen (zeros). All three are on the
 * loss path, so only the role keeps the optimizer off {@code scale} and {@code shift}.
 */
public final class TestScale implements Layer {
    public static final Signature SIG = new Signature(Kind.LAYER, "scale", null, "test layer with roles", List.of());

    @Override public Signature signature() { return SIG; }

    @Override public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) { return input; }

    @Override public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) { return Cost.FREE; }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        long n = ((dev.eff.dsl.check.Dim.Fixed) ctx.inputShape().dim(ctx.inputShape().rank() - 1)).size();
        SDVariable scale = ctx.state("scale", Nd4j.valueArrayOf(new long[] {n}, 1.5));
        SDVariable gain = ctx.param("gain", new long[] {n}, Init.ONES);
        SDVariable shift = ctx.param("shift", new long[] {n}, Init.ZEROS, VariableRole.FROZEN);
        return input.mul(scale).mul(gain).add(shift);
    }
}
