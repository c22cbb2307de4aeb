package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.testing.LayerHarness;
import dev.eff.stdlib.testing.Plain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SoftmaxAttentionTest {

    private static final int T = 4, D = 6;
    private static final Shape IN = Shape.batch(DType.FLOAT, T, D);

    private static LayerHarness attention(int heads, boolean causal) {
        return LayerHarness.of(new SoftmaxAttention(), "heads", heads, "causal", causal).input(IN);
    }

    @Test
    void isTheDefaultAttentionVariant() {
        var sig = new SoftmaxAttention().signature();
        assertEquals("attention(softmax)", sig.title());
        assertTrue(new SoftmaxAttention().defaultVariant());
    }

    @Test
    void shapeRule() throws Exception {
        assertEquals("float[B, 4, 6]", attention(3, true).outputShape().describe());
        var heads = assertThrows(ShapeException.class, () -> attention(4, false).outputShape());
        assertTrue(heads.getMessage().contains("not divisible by heads = 4"), heads.getMessage());
        assertTrue(heads.hint().contains("1, 2, 3, 6"), heads.hint());
        var rank = assertThrows(ShapeException.class,
                () -> LayerHarness.of(new SoftmaxAttention()).input(Shape.batch(DType.FLOAT, 6)).outputShape());
        assertTrue(rank.getMessage().contains("[B, T, d]"), rank.getMessage());
        assertThrows(ShapeException.class,
                () -> LayerHarness.of(new SoftmaxAttention()).input(Shape.batch(DType.INT, 6)).outputShape());
    }

    @Test
    void cost() throws Exception {
        var cost = attention(2, false).cost();
        assertEquals(4L * D * D + 4 * D, cost.params());
        long projections = T * (2L * D * 3 * D + 3 * D) + T * (2L * D * D + D);
        long products = 4L * T * T * D;
        assertEquals(projections + products + 2L * T * T * 3 + T * D, cost.flops());
        assertEquals(cost.flops() + 2L * T * T, attention(2, true).cost().flops());
    }

    @ParameterizedTest
    @CsvSource({"1, false", "2, false", "3, true", "1, true"})
    void matchesPlainMultiHeadAttention(int heads, boolean causal) {
        INDArray x = Plain.random(10 + heads, 2, T, D);
        var run = attention(heads, causal).run(DataType.DOUBLE, x);
        double[] expected = reference(x, run, heads, causal);
        Plain.assertClose(expected, run.output(), 1e-10);
        Plain.assertClose(expected, attention(heads, causal).run(DataType.FLOAT, x).output(), 1e-4);
    }

    /** Both graphs take the heads as [B·h, T, dh]: the inference graph matches the reference as the training graph does. */
    @ParameterizedTest
    @CsvSource({"2, true", "3, false"})
    void inferenceGraphMatchesPlainMultiHeadAttention(int heads, boolean causal) {
        INDArray x = Plain.random(40 + heads, 3, T, D);
        var run = attention(heads, causal).inferenceGraph().run(DataType.DOUBLE, x);
        Plain.assertClose(reference(x, run, heads, causal), run.output(), 1e-10);
        Plain.assertClose(Plain.flat(attention(heads, causal).run(DataType.DOUBLE, x).output()), run.output(), 1e-12);
    }

    @Test
    void causalOutputsIgnoreLaterPositions() {
        INDArray x = Plain.random(20, 1, T, D);
        INDArray changed = x.dup();
        changed.get(NDArrayIndex.point(0), NDArrayIndex.point(T - 1), NDArrayIndex.all()).addi(5.0);
        INDArray a = attention(2, true).run(DataType.DOUBLE, x).output();
        INDArray b = attention(2, true).run(DataType.DOUBLE, changed).output();
        for (int t = 0; t < T - 1; t++) {
            assertEquals(a.get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all()),
                    b.get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all()));
        }
        assertNotEquals(a.getDouble(0, T - 1, 0), b.getDouble(0, T - 1, 0));
    }

    @Test
    void gradients() {
        attention(2, true).checkGradients(Plain.random(30, 2, T, D));
        attention(3, false).checkGradients(Plain.random(31, 2, T, D));
    }

    /** Per example and head: softmax(q·kᵀ/√dh, masked)·v, heads side by side, then the output projection. */
    private static double[] reference(INDArray x, LayerHarness.Run run, int heads, boolean causal) {
        double[][] wqkv = Plain.matrix(run.param("Wqkv")), wo = Plain.matrix(run.param("Wo"));
        double[] bqkv = Plain.flat(run.param("bqkv")), bo = Plain.flat(run.param("bo")), xs = Plain.flat(x);
        int batch = (int) x.size(0), dh = D / heads;
        double[] out = new double[batch * T * D];
        for (int n = 0; n < batch; n++) {
            double[][] rows = new double[T][];
            for (int t = 0; t < T; t++) rows[t] = Plain.row(xs, n * T + t, D);
            double[][] qkv = Plain.affine(rows, wqkv, bqkv);
            double[][] merged = new double[T][D];
            for (int h = 0; h < heads; h++) {
                for (int t = 0; t < T; t++) {
                    int visible = causal ? t + 1 : T;
                    double[] p = new double[visible];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int s = 0; s < visible; s++) {
                        for (int e = 0; e < dh; e++) p[s] += qkv[t][h * dh + e] * qkv[s][D + h * dh + e];
                        p[s] /= Math.sqrt(dh);
                        max = Math.max(max, p[s]);
                    }
                    for (int s = 0; s < visible; s++) sum += p[s] = Math.exp(p[s] - max);
                    for (int e = 0; e < dh; e++) {
                        double acc = 0;
                        for (int s = 0; s < visible; s++) acc += p[s] / sum * qkv[s][2 * D + h * dh + e];
                        merged[t][h * dh + e] = acc;
                    }
                }
            }
            double[][] y = Plain.affine(merged, wo, bo);
            for (int t = 0; t < T; t++) System.arraycopy(y[t], 0, out, (n * T + t) * D, D);
        }
        return out;
    }
}
