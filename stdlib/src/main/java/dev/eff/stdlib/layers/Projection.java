package dev.eff.stdlib.layers;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Exact;
import dev.eff.dsl.check.Shape;
import dev.eff.stdlib.Init;
import dev.eff.stdlib.Lowering;
import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The affine map y = x·W + b on the last axis, shared by dense, linear, logits, mlp and attention. ND4J's
 * mmul needs equal ranks, so inputs of rank &gt; 2 are flattened to rows [B·…, in] and reshaped back.
 */
final class Projection {

    private Projection() {}

    /** x·W (+ b) on rows {@code [N, in]}; parameters are named {@code weight} [in, out] and {@code biasName} [out]. */
    static SDVariable rows(Lowering ctx, SDVariable rows, long in, long out, boolean bias, String weight, String biasName) {
        SDVariable w = ctx.param(weight, new long[] {in, out}, Init.glorot(in, out));
        SDVariable y = rows.mmul(w);
        if (!bias) return y;
        SDVariable b = ctx.param(biasName, new long[] {out}, Init.ZEROS);
        if (ctx.inference()) return ctx.sd().nn.biasAdd(y, b, false);
        // Training: the bias as ones·bᵀ, whose backward is a GEMM instead of biasadd_bp's column sum (LayerBench bias).
        SDVariable ones = ctx.sd().onesLike(ctx.sd().mean(rows, true, 1));
        return y.add(ones.mmul(b.reshape(1, out)));
    }

    /** {@code [B, ..., width]} → {@code [B·…, width]}, given the per-example sizes. */
    static SDVariable toRows(SDVariable x, long[] example) {
        return example.length == 1 ? x : x.reshape(-1, example[example.length - 1]);
    }

    /** {@code [B·…, width]} → {@code [B, ...]}, given the per-example sizes of the result. */
    static SDVariable fromRows(SDVariable rows, long[] example) {
        return example.length == 1 ? rows : rows.reshape(Shapes.batchOf(example));
    }

    /** The projection on the last axis of an input of any rank ≥ 2, followed by {@code act}; weights {@code W}, {@code b}. */
    static SDVariable lastAxis(Lowering ctx, SDVariable x, long out, boolean bias, ActivationFn act) {
        long[] example = Shapes.example(ctx.inputShape());
        long in = example[example.length - 1];
        SDVariable y = act.apply(ctx.sd(), rows(ctx, toRows(x, example), in, out, bias, "W", "b"));
        long[] outExample = Arrays.copyOf(example, example.length);
        outExample[outExample.length - 1] = out;
        return fromRows(y, outExample);
    }

    static long params(long in, long out, boolean bias) { return Exact.plus(Exact.times(in, out), bias ? out : 0); }

    /** Forward FLOPs for {@code rows} rows: the matmul (2 per multiply-add) and the bias add. */
    static long flops(long rows, long in, long out, boolean bias) {
        return Exact.times(rows, Exact.plus(Exact.times(2, in, out), bias ? out : 0));
    }

    /** The output shape of a projection: float, last axis replaced. */
    static Shape output(Shape input, long out) {
        return input.withLast(out).withType(DType.FLOAT);
    }
}
