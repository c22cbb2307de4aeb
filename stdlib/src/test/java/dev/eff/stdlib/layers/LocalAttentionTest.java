package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.testing.LayerHarness;
import dev.eff.stdlib.testing.Plain;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class LocalAttentionTest {

    private static final int D = 6;

    private static LayerHarness local(int t, int window, int heads, boolean causal) {
        return LayerHarness.of(new LocalAttention(), "heads", heads, "causal", causal, "window", window)
                .input(Shape.batch(DType.FLOAT, t, D));
    }

    @ParameterizedTest
    @CsvSource({"12, 3, 2, false", "12, 3, 2, true", "12, 4, 3, false", "8, 8, 1, true", "8, 1, 1, false", "10, 5, 1, true"})
    void equalsFullAttentionMaskedToTheSameBand(int t, int window, int heads, boolean causal) {
        INDArray x = Plain.random(40 + t + window, 2, t, D);
        var run = local(t, window, heads, causal).run(DataType.DOUBLE, x);
        Plain.assertClose(bandedReference(x, run, t, window, heads, causal), run.output(), 1e-10);
    }

    @Test
    void windowMustDivideTheSequenceLength() {
        var e = assertThrows(ShapeException.class, () -> local(12, 5, 1, false).outputShape());
        assertTrue(e.getMessage().contains("window = 5 does not divide the sequence length 12"), e.getMessage());
        assertTrue(e.hint().contains("4, 6"), e.hint());
    }

    @Test
    void costGrowsLinearlyInSequenceLength() throws Exception {
        long a = local(1024, 64, 2, true).cost().flops(), b = local(2048, 64, 2, true).cost().flops();
        assertEquals(2.0, (double) b / a, 1e-9);
        long softmax = LayerHarness.of(new SoftmaxAttention(), "heads", 2).input(Shape.batch(DType.FLOAT, 4096, D)).cost().flops();
        assertTrue(local(4096, 64, 2, false).cost().flops() * 4 < softmax);
    }

    @Test
    void gradients() {
        local(6, 2, 2, false).checkGradients(Plain.random(50, 2, 6, D));
        local(6, 3, 3, true).checkGradients(Plain.random(51, 2, 6, D));
    }

    /** softmax over the keys j with |i − j| &lt; w (and j ≤ i when causal), as one full masked computation. */
    private static double[] bandedReference(INDArray x, LayerHarness.Run run, int t, int w, int heads, boolean causal) {
        double[][] wqkv = Plain.matrix(run.param("Wqkv")), wo = Plain.matrix(run.param("Wo"));
        double[] bqkv = Plain.flat(run.param("bqkv")), bo = Plain.flat(run.param("bo")), xs = Plain.flat(x);
        int batch = (int) x.size(0), dh = D / heads;
        double[] out = new double[batch * t * D];
        for (int n = 0; n < batch; n++) {
            double[][] rows = new double[t][];
            for (int i = 0; i < t; i++) rows[i] = Plain.row(xs, n * t + i, D);
            double[][] qkv = Plain.affine(rows, wqkv, bqkv);
            double[][] merged = new double[t][D];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < t; i++) {
                    double[] p = new double[t];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < t; j++) {
                        if (Math.abs(i - j) >= w || (causal && j > i)) { p[j] = Double.NEGATIVE_INFINITY; continue; }
                        for (int e = 0; e < dh; e++) p[j] += qkv[i][h * dh + e] * qkv[j][D + h * dh + e];
                        p[j] /= Math.sqrt(dh);
                        max = Math.max(max, p[j]);
                    }
                    for (int j = 0; j < t; j++) sum += p[j] = Math.exp(p[j] - max);
                    for (int e = 0; e < dh; e++) {
                        double acc = 0;
                        for (int j = 0; j < t; j++) acc += p[j] / sum * qkv[j][2 * D + h * dh + e];
                        merged[i][h * dh + e] = acc;
                    }
                }
            }
            double[][] y = Plain.affine(merged, wo, bo);
            for (int i = 0; i < t; i++) System.arraycopy(y[i], 0, out, (n * t + i) * D, D);
        }
        return out;
    }
}
