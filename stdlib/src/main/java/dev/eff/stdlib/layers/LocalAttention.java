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
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Banded (sliding-window) softmax attention: position i attends to positions j with |i − j| &lt; w, or
 * 0 ≤ i − j &lt; w when causal. Computed blockwise, never as a T×T matrix: the sequence is cut into T/w blocks of
 * w queries, and each block scores only the keys of its own block and its neighbours (the previous one, and the
 * next one unless causal), w × 3w (or w × 2w) scores per block, with a constant mask for the band and the
 * sequence ends. Time and memory O(T·w·d) instead of O(T²·d); same parameters as attention(softmax).
 */
@AutoService(Component.class)
public final class LocalAttention implements Layer {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "attention", "local",
            "Sliding-window self-attention over [B, T, d]: each position attends to the positions less than `window` "
                    + "away (earlier ones only when causal), computed blockwise in O(T·window·d). Same parameters as "
                    + "attention(softmax).",
            AttentionHeads.params(Param.of("window", Type.positive(), 64,
                    "band half-width w, also the block length: must divide the sequence length T")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override public boolean causal(Args args) { return args.bool("causal"); }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        AttentionHeads.outputShape(args, input);
        long t = input.size(1), w = args.integer("window");
        if (t % w != 0) {
            throw new ShapeException("window = " + w + " does not divide the sequence length " + t,
                    "the window is also the block length; divisors of " + t + ": " + divisorsNear(t, w));
        }
        return input;
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long t = input.size(1), d = input.last(), h = args.integer("heads"), keys = keysPerBlock(args);
        // q·kᵀ and weights·v over `keys` keys per query, the mask add and the softmax (3 per score), the 1/√dh scale
        long flops = 2 * (2 * t * keys * d) + h * t * keys * 4 + t * d;
        return Cost.of(AttentionHeads.projectionParams(d), AttentionHeads.projectionFlops(t, d) + flops);
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        SameDiff sd = ctx.sd();
        AttentionHeads.Qkv heads = AttentionHeads.project(ctx, args, input);
        long t = heads.t(), dh = heads.dh(), w = args.integer("window"), n = t / w;
        boolean causal = args.bool("causal");
        SDVariable q = heads.q().mul(1 / Math.sqrt(dh)).reshape(-1, n, w, dh);
        SDVariable k = neighbours(sd, ctx, heads.k().reshape(-1, n, w, dh), n, causal);
        SDVariable v = neighbours(sd, ctx, heads.v().reshape(-1, n, w, dh), n, causal);
        SDVariable mask = sd.constant(ctx.name("band_mask"), bandMask((int) t, (int) w, causal).castTo(ctx.dtype()));
        SDVariable weights = sd.nn.softmax(ctx.name("weights"), sd.mmul(q, k, false, true, false).add(mask), -1);
        return AttentionHeads.merge(ctx, heads, sd.mmul(weights, v));
    }

    private static long keysPerBlock(Args args) { return (args.bool("causal") ? 2 : 3) * args.integer("window"); }

    /**
     * Blocks [N, n, w, dh] → for each block the previous block, itself and (unless causal) the next one side by
     * side, [N, n, 2w or 3w, dh]; the blocks beyond the ends are zeros, masked out by {@link #bandMask}.
     */
    private static SDVariable neighbours(SameDiff sd, Lowering ctx, SDVariable blocks, long n, boolean causal) {
        int after = causal ? 0 : 1;
        SDVariable padding = sd.constant(ctx.name("block_padding"), Nd4j.createFromArray(new int[][] {{0, 0}, {1, after}, {0, 0}, {0, 0}}));
        SDVariable padded = sd.nn.pad(blocks, padding, 0.0);
        // begin/end masks 0b1101: dimensions 0, 2 and 3 are taken whole, so the batch may stay dynamic
        SDVariable previous = sd.stridedSlice(padded, new long[] {0, 0, 0, 0}, new long[] {0, n, 0, 0}, new long[] {1, 1, 1, 1},
                0b1101, 0b1101, 0, 0, 0);
        if (causal) return sd.concat(2, previous, blocks);
        SDVariable next = sd.stridedSlice(padded, new long[] {0, 2, 0, 0}, new long[] {0, n + 2, 0, 0}, new long[] {1, 1, 1, 1},
                0b1101, 0b1101, 0, 0, 0);
        return sd.concat(2, previous, blocks, next);
    }

    /**
     * [n, w, K] additive mask: 0 where the query at i = b·w + a may see the key in slot s, which is position
     * j = (b − 1)·w + s, and {@link SoftmaxAttention#MASKED} where j is outside [0, T), |i − j| ≥ w, or j &gt; i
     * when causal.
     */
    static INDArray bandMask(int t, int w, boolean causal) {
        int n = t / w, slots = (causal ? 2 : 3) * w;
        double[][][] mask = new double[n][w][slots];
        for (int b = 0; b < n; b++) {
            for (int a = 0; a < w; a++) {
                int i = b * w + a;
                for (int s = 0; s < slots; s++) {
                    int j = (b - 1) * w + s;
                    boolean visible = j >= 0 && j < t && Math.abs(i - j) < w && (!causal || j <= i);
                    mask[b][a][s] = visible ? 0 : SoftmaxAttention.MASKED;
                }
            }
        }
        return Nd4j.createFromArray(mask);
    }

    /** Divisors of {@code t} within 1024 of {@code w} (t may be huge: never count up to it). */
    private static String divisorsNear(long t, long w) {
        return LongStream.rangeClosed(Math.max(1, w - 1024), Math.min(t, w + 1024)).filter(k -> t % k == 0).boxed()
                .sorted(java.util.Comparator.comparingLong(k -> Math.abs(k - w))).limit(6).sorted()
                .map(String::valueOf).collect(Collectors.joining(", "));
    }
}
