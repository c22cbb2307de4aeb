package dev.eff.stdlib.layers;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Lowering;
import dev.eff.dsl.check.Exact;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * What every {@code attention(...)} kind shares, so a script switches kinds with one word: the {@code heads} and
 * {@code causal} parameters, the [B, T, d] shape rule, the fused q/k/v projection split into heads and the output
 * projection. Kinds differ only in how they mix values along T.
 */
final class AttentionHeads {

    private AttentionHeads() {}

    static final Param HEADS = Param.of("heads", Type.positive(), 1, "number of heads; must divide the width d");
    static final Param CAUSAL = Param.of("causal", new Type.Bool(), false,
            "let each position attend only to itself and earlier ones");

    /** {@code heads}, {@code causal}, then the kind's own parameters. */
    static List<Param> params(Param... own) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(HEADS, CAUSAL), java.util.stream.Stream.of(own)).toList();
    }

    /**
     * Queries, keys and values, each [B·h, T, dh] (q not scaled), and the sizes. Batch and heads share one axis so that
     * every product over T is a rank-3 batched matmul, which M2.1 runs faster than the same products on rank 4
     * (LayerBench attention).
     */
    record Qkv(SDVariable q, SDVariable k, SDVariable v, long t, long d, long heads) {
        long dh() { return d / heads; }

        /** {@code x} [B·h, T, dh] as [B, h, T, dh]. */
        SDVariable perHead(SDVariable x) { return x.reshape(-1, heads, t, dh()); }
    }

    /** The [B, T, d] shape rule of every kind: the output is the input's shape. */
    static Shape outputShape(Args args, Shape input) throws ShapeException {
        Shapes.requireFloatRank(input, 3, "[B, T, d]",
                "attention works on sequences of vectors; embed(vocab, dim) produces them from token ids");
        long d = input.last(), heads = args.integer("heads");
        if (d % heads != 0) {
            throw new ShapeException("width " + d + " is not divisible by heads = " + heads,
                    "choose heads among the divisors of " + d + ": " + divisors(d, 12));
        }
        return input;
    }

    static long projectionParams(long d) { return Exact.plus(Projection.params(d, Exact.times(3, d), true), Projection.params(d, d, true)); }

    static long projectionFlops(long t, long d) {
        return Exact.plus(Projection.flops(t, d, Exact.times(3, d), true), Projection.flops(t, d, d, true));
    }

    /**
     * x·Wqkv + bqkv split into heads. [B·T, 3d] → [3, B, h, T, dh], unstack, and each part viewed as [B·h, T, dh]:
     * about 2× faster forward+backward than splitting a permuted [B, 3h, T, dh], whose split reads a strided view
     * (LayerBench qkv).
     */
    static Qkv project(Lowering ctx, Args args, SDVariable input) {
        long[] example = Shapes.example(ctx.inputShape());
        long t = example[0], d = example[1], h = args.integer("heads"), dh = d / h;
        SDVariable qkv = Projection.rows(ctx, input.reshape(-1, d), d, 3 * d, true, "Wqkv", "bqkv")
                .reshape(-1, t, 3, h, dh).permute(2, 0, 3, 1, 4);
        SDVariable[] parts = ctx.sd().unstack(qkv, 0, 3);
        return new Qkv(parts[0].reshape(-1, t, dh), parts[1].reshape(-1, t, dh), parts[2].reshape(-1, t, dh), t, d, h);
    }

    /** Heads ([B·h, T, dh] or [B, h, T, dh]) side by side, then ·Wo + bo: [B, T, d]. */
    static SDVariable merge(Lowering ctx, Qkv heads, SDVariable mixed) {
        long d = heads.d();
        SDVariable merged = heads.perHead(mixed).permute(0, 2, 1, 3).reshape(-1, d);
        return Projection.rows(ctx, merged, d, d, true, "Wo", "bo").reshape(-1, heads.t(), d);
    }

    /** The first divisors of {@code n}, from those up to 1024 only: head counts are small, and {@code n} may be huge. */
    static String divisors(long n, int limit) {
        return LongStream.rangeClosed(1, Math.min(n, 1024)).filter(k -> n % k == 0).limit(limit).mapToObj(Long::toString)
                .collect(Collectors.joining(", "));
    }
}
