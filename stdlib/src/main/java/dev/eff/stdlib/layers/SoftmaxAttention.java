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
import dev.eff.stdlib.Lowering;
import dev.eff.stdlib.StepLowering;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head scaled dot-product self-attention: [q|k|v] = x·Wqkv + bqkv (one fused [d, 3d] projection),
 * per head softmax(q·kᵀ/√dh + M)·v with M = -1e9 above the diagonal when causal, heads concatenated and
 * projected by Wo [d, d] + bo. Heads are a reshape to [B, h, T, dh], so each product is one batched matmul.
 */
@AutoService(Component.class)
public final class SoftmaxAttention implements Layer, StepLowering {

    /** Added to masked scores: exp underflows to exactly 0 in float and double, with no inf - inf NaN risk. */
    static final double MASKED = -1e9;

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "attention", "softmax",
            "Multi-head self-attention over [B, T, d]: per head softmax(q·kᵀ/√(d/heads))·v, with a fused "
                    + "q/k/v projection and an output projection (4d² + 4d parameters).",
            List.of(Param.of("heads", Type.positive(), 1, "number of heads; must divide the width d"),
                    Param.of("causal", new Type.Bool(), false, "let each position attend only to itself and earlier ones")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override public boolean defaultVariant() { return true; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloatRank(input, 3, "[B, T, d]",
                "attention works on sequences of vectors; embed(vocab, dim) produces them from token ids");
        long d = input.last(), heads = args.integer("heads");
        if (d % heads != 0) {
            throw new ShapeException("width " + d + " is not divisible by heads = " + heads,
                    "choose heads among the divisors of " + d + ": " + divisors(d));
        }
        return input;
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
        long projections = Projection.flops(t, d, 3 * d, true) + Projection.flops(t, d, d, true);
        long products = 2 * (2 * t * t * d);
        long softmax = h * t * t * (3 + (args.bool("causal") ? 1 : 0)) + t * d;
        return Cost.of(Projection.params(d, 3 * d, true) + Projection.params(d, d, true), projections + products + softmax);
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        SameDiff sd = ctx.sd();
        long[] example = Shapes.example(ctx.inputShape());
        long t = example[0], d = example[1], h = args.integer("heads"), dh = d / h;
        // [B·T, 3d] → [3, B, h, T, dh] and unstack: about 2× faster forward+backward than splitting a permuted
        // [B, 3h, T, dh], whose split reads a strided view (LayerBench qkv)
        SDVariable qkv = Projection.rows(ctx, input.reshape(-1, d), d, 3 * d, true, "Wqkv", "bqkv")
                .reshape(-1, t, 3, h, dh).permute(2, 0, 3, 1, 4);
        SDVariable[] parts = sd.unstack(qkv, 0, 3);
        SDVariable q = parts[0].mul(1 / Math.sqrt(dh)), k = parts[1], v = parts[2];
        SDVariable scores = sd.mmul(q, k, false, true, false);
        if (args.bool("causal")) {
            scores = scores.add(sd.constant(ctx.name("causal_mask"), causalMask((int) t).castTo(ctx.dtype())));
        }
        SDVariable weights = sd.nn.softmax(ctx.name("weights"), scores, -1);
        SDVariable merged = sd.mmul(weights, v).permute(0, 2, 1, 3).reshape(-1, d);
        return Projection.rows(ctx, merged, d, d, true, "Wo", "bo").reshape(-1, t, d);
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
        long d = Shapes.example(ctx.inputShape())[1], h = args.integer("heads"), dh = d / h;
        SDVariable qkv = Projection.rows(ctx, input.reshape(-1, d), d, 3 * d, true, "Wqkv", "bqkv")
                .reshape(-1, 1, 3, h, dh).permute(2, 0, 3, 1, 4);
        SDVariable[] parts = sd.unstack(qkv, 0, 3);
        SDVariable q = parts[0].mul(1 / Math.sqrt(dh)), k = parts[1], v = parts[2];
        SDVariable pastK = ctx.cache("k", -1, h, -1, dh), pastV = ctx.cache("v", -1, h, -1, dh);
        if (pastK != null) {
            k = sd.concat(2, pastK, k);
            v = sd.concat(2, pastV, v);
        }
        ctx.update("k", k);
        ctx.update("v", v);
        SDVariable weights = sd.nn.softmax(ctx.name("weights"), sd.mmul(q, k, false, true, false), -1);
        SDVariable merged = sd.mmul(weights, v).permute(0, 2, 1, 3).reshape(-1, d);
        return Projection.rows(ctx, merged, d, d, true, "Wo", "bo").reshape(-1, 1, d);
    }

    /** [t, t]: 0 on and below the diagonal, {@link #MASKED} above it. */
    private static INDArray causalMask(int t) {
        double[][] m = new double[t][t];
        for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) m[i][j] = MASKED;
        return Nd4j.createFromArray(m);
    }

    private static String divisors(long n) {
        return LongStream.rangeClosed(1, n).filter(k -> n % k == 0).limit(12).mapToObj(Long::toString)
                .collect(Collectors.joining(", "));
    }
}
