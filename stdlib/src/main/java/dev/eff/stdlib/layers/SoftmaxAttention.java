package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Exact;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.Lowering;
import dev.eff.stdlib.StepLowering;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head scaled dot-product self-attention: [q|k|v] = x·Wqkv + bqkv (one fused [d, 3d] projection),
 * per head softmax(q·kᵀ/√dh + M)·v with M = -1e9 above the diagonal when causal, heads concatenated and
 * projected by Wo [d, d] + bo. Heads share the batch axis, [B·h, T, dh], so each product is one rank-3 batched matmul.
 */
@AutoService(Component.class)
public final class SoftmaxAttention implements Layer, StepLowering {

    /** Added to masked scores: exp underflows to exactly 0 in float and double, with no inf - inf NaN risk. */
    static final double MASKED = -1e9;

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "attention", "softmax",
            "Multi-head self-attention over [B, T, d]: per head softmax(q·kᵀ/√(d/heads))·v, with a fused "
                    + "q/k/v projection and an output projection (4d² + 4d parameters).",
            AttentionHeads.params());

    @Override public Signature signature() { return SIGNATURE; }

    @Override public boolean defaultVariant() { return true; }

    @Override public boolean causal(Args args) { return args.bool("causal"); }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        return AttentionHeads.outputShape(args, input);
    }

    /** The fused q, k, v projection [T, 3d], and per head the scores and their softmax, [h, T, T] each. */
    @Override
    public long intermediateElements(Args args, Shape input, Shape output) throws ShapeException {
        long t = input.size(1), d = input.last(), h = args.integer("heads");
        return Math.addExact(Math.multiplyExact(3, Math.multiplyExact(t, d)), Math.multiplyExact(2 * h, Math.multiplyExact(t, t)));
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long t = input.size(1), d = input.last(), h = args.integer("heads");
        long projections = AttentionHeads.projectionFlops(t, d);
        long products = Exact.times(4, t, t, d);
        long softmax = Exact.plus(Exact.times(h, t, t, 3 + (args.bool("causal") ? 1 : 0)), Exact.times(t, d));
        return Cost.of(AttentionHeads.projectionParams(d), Exact.plus(projections, products, softmax));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        SameDiff sd = ctx.sd();
        AttentionHeads.Qkv heads = AttentionHeads.project(ctx, args, input);
        long t = heads.t();
        SDVariable q = heads.q().mul(1 / Math.sqrt(heads.dh())), k = heads.k(), v = heads.v();
        SDVariable scores = sd.mmul(q, k, false, true, false);
        if (args.bool("causal")) {
            scores = scores.add(sd.constant(ctx.name("causal_mask"), causalMask((int) t).castTo(ctx.dtype())));
        }
        SDVariable weights = sd.nn.softmax(ctx.name("weights"), scores, -1);
        return AttentionHeads.merge(ctx, heads, sd.mmul(weights, v));
    }

    /**
     * The newest position of causal attention: its q, k, v from the same projection, k and v appended to the cached
     * keys and values [B, h, t, dh] of the earlier positions, and q attending to all of them (no mask: every cached
     * position is earlier).
     */
    @Override
    public SDVariable lowerStep(Step ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        if (!args.bool("causal")) throw new IllegalStateException("attention without causal = true cannot decode one position at a time");
        SameDiff sd = ctx.sd();
        AttentionHeads.Qkv heads = AttentionHeads.project(ctx, args, input);
        SDVariable q = heads.perHead(heads.q()).mul(1 / Math.sqrt(heads.dh())), k = heads.perHead(heads.k()), v = heads.perHead(heads.v());
        SDVariable pastK = ctx.cache("k", -1, heads.heads(), -1, heads.dh()), pastV = ctx.cache("v", -1, heads.heads(), -1, heads.dh());
        if (pastK != null) {
            k = sd.concat(2, pastK, k);
            v = sd.concat(2, pastV, v);
        }
        ctx.update("k", k);
        ctx.update("v", v);
        SDVariable weights = sd.nn.softmax(ctx.name("weights"), sd.mmul(q, k, false, true, false), -1);
        return AttentionHeads.merge(ctx, heads, sd.mmul(weights, v));
    }

    /** [t, t]: 0 on and below the diagonal, {@link #MASKED} above it. */
    private static INDArray causalMask(int t) {
        double[][] m = new double[t][t];
        for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) m[i][j] = MASKED;
        return Nd4j.createFromArray(m);
    }
}
