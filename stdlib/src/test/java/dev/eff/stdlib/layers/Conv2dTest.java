package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.testing.LayerHarness;
import dev.eff.stdlib.testing.Plain;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Conv2dTest {

    private static final int C = 2, H = 6, W = 5;
    private static final Shape IN = Shape.batch(DType.FLOAT, C, H, W);

    @Test
    void shapeRule() throws Exception {
        assertEquals("float[B, 4, 6, 5]", LayerHarness.of(new Conv2d(), "filters", 4).input(IN).outputShape().describe());
        assertEquals("float[B, 4, 3, 3]", LayerHarness.of(new Conv2d(), "filters", 4, "stride", 2).input(IN).outputShape().describe());
        assertEquals("float[B, 4, 2, 2]", LayerHarness.of(new Conv2d(), "filters", 4, "stride", 2, "padding", "valid")
                .input(IN).outputShape().describe());
        var big = assertThrows(ShapeException.class, () -> LayerHarness.of(new Conv2d(), "filters", 4, "kernel", 7,
                "padding", "valid").input(IN).outputShape());
        assertTrue(big.hint().contains("same"), big.hint());
        var flat = assertThrows(ShapeException.class, () -> LayerHarness.of(new Conv2d(), "filters", 4)
                .input(Shape.batch(DType.FLOAT, 6, 5)).outputShape());
        assertTrue(flat.getMessage().contains("[B, C, H, W]"), flat.getMessage());
    }

    @Test
    void cost() throws Exception {
        var c = LayerHarness.of(new Conv2d(), "filters", 4, "stride", 2).input(IN).cost();
        assertEquals(3 * 3 * C * 4 + 4, c.params());
        assertEquals(3 * 3 * 4 * (2 * 3 * 3 * C + 1), c.flops());
    }

    @ParameterizedTest
    @CsvSource({"3, 1, same, none", "3, 2, same, relu", "2, 2, same, none", "3, 2, valid, tanh", "1, 1, valid, none"})
    void matchesPlainConvolution(int k, int s, String padding, String activation) {
        INDArray x = Plain.random(k * 10 + s, 2, C, H, W);
        var h = LayerHarness.of(new Conv2d(), "filters", 3, "kernel", k, "stride", s, "padding", padding,
                "activation", activation).input(IN);
        var run = h.run(DataType.DOUBLE, x);
        double[] xs = Plain.flat(x), w = Plain.flat(run.param("W")), b = Plain.flat(run.param("b"));
        boolean same = padding.equals("same");
        int ho = same ? (H + s - 1) / s : (H - k) / s + 1, wo = same ? (W + s - 1) / s : (W - k) / s + 1;
        // TensorFlow's "same": total padding (out-1)·s + k - in, the smaller half before
        int top = same ? Math.max((ho - 1) * s + k - H, 0) / 2 : 0, left = same ? Math.max((wo - 1) * s + k - W, 0) / 2 : 0;
        double[] expected = new double[2 * 3 * ho * wo];
        for (int n = 0; n < 2; n++)
            for (int f = 0; f < 3; f++)
                for (int i = 0; i < ho; i++)
                    for (int j = 0; j < wo; j++) {
                        double acc = b[f];
                        for (int c = 0; c < C; c++)
                            for (int u = 0; u < k; u++)
                                for (int v = 0; v < k; v++) {
                                    int r = i * s + u - top, q = j * s + v - left;
                                    if (r < 0 || r >= H || q < 0 || q >= W) continue;
                                    acc += w[((u * k + v) * C + c) * 3 + f] * xs[((n * C + c) * H + r) * W + q];
                                }
                        expected[((n * 3 + f) * ho + i) * wo + j] = Plain.activation(activation, acc);
                    }
        Plain.assertClose(expected, run.output(), 1e-12);
        h.checkGradients(x);
    }
}
