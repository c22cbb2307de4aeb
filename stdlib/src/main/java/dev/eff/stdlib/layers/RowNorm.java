package dev.eff.stdlib.layers;

import dev.eff.stdlib.Lowering;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arithmetic layerNorm and rmsNorm share: per-row statistics and per-feature gains broadcast over rows of
 * width {@code width}. In a training graph every broadcast is made an exact K = 1 matrix product instead
 * (statistics [N, 1] · ones [1, W], ones [N, 1] · gain [1, W]): M2.1's backward of a broadcast multiply reduces over
 * the broadcast axes far more slowly than a GEMM does (a layer norm on [16, 128, 256] forward and backward: 236 ms
 * broadcast, 49 ms as products; {@code LayerBench norm}). Inference graphs keep the plain broadcasts, which are
 * cheaper without a backward pass. Rows are the input's leading axes flattened: [N, W] with N = B · (…).
 */
final class RowNorm {
    private final Lowering ctx;
    private final SDVariable input, rows, onesRow;
    private final boolean products;

    RowNorm(Lowering ctx, SDVariable input, long width) {
        this.ctx = ctx;
        this.input = input;
        this.products = !ctx.inference();
        this.rows = products ? input.reshape(-1, width) : input;
        this.onesRow = products ? ctx.sd().constant(Nd4j.ones(ctx.dtype(), 1, width)) : null;
    }

    /** The rows: [N, W] in a training graph, the input as it is otherwise. */
    SDVariable rows() { return rows; }

    /** The mean over each row's last axis, kept as a column ([N, 1], or the input's shape with a last axis of 1). */
    SDVariable rowMean(SDVariable x) { return ctx.sd().mean(x, true, products ? 1 : lastAxis()); }

    /** The unbiased variance over each row's last axis, kept as a column like {@link #rowMean}. */
    SDVariable rowVariance(SDVariable x) { return ctx.sd().variance(x, true, true, products ? 1 : lastAxis()); }

    /** A per-row column as wide as the rows. */
    SDVariable wide(SDVariable column) { return products ? column.mmul(onesRow) : column; }

    /** A per-feature vector of the model's ({@code [W]}) as wide and as tall as the rows. */
    SDVariable tall(SDVariable feature) {
        if (!products) return feature;
        SDVariable onesColumn = ctx.sd().onesLike(rowMean(rows));
        return onesColumn.mmul(feature.reshape(1, -1));
    }

    /** {@code y} (rows) back in the input's shape. */
    SDVariable result(SDVariable y) { return products ? y.reshape(ctx.sd().shape(input)) : y; }

    private int lastAxis() { return Shapes.example(ctx.inputShape()).length; }
}
