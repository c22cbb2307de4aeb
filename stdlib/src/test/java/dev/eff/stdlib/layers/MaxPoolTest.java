package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

class MaxPoolTest {

    private static final int C = 2, H = 5, W = 4;
    private static final Shape IN = Shape.batch(DType.FLOAT, C, H, W);

    @Test
    void shapeRule() throws Exception {
        assertEquals("float[B, 2, 2, 2]", LayerHarness.of(new MaxPool()).input(IN).outputShape().describe());
        assertEquals("float[B, 2, 3, 2]", LayerHarness.of(new MaxPool(), "size", 3, "stride", 1).input(IN).outputShape().describe());
        assertThrows(ShapeException.class, () -> LayerHarness.of(new MaxPool(), "size", 5).input(IN).outputShape());
        assertThrows(ShapeException.class, () -> LayerHarness.of(new MaxPool()).input(Shape.batch(DType.FLOAT, 4, 4)).outputShape());
        assertEquals(2 * 2 * 2 * 4, LayerHarness.of(new MaxPool()).input(IN).cost().flops());
    }

    @ParameterizedTest
    @CsvSource({"2, 0", "3, 1", "2, 1", "3, 2"})
    void matchesPlainMaxPooling(int size, int strideArg) {
        int s = strideArg == 0 ? size : strideArg, ho = (H - size) / s + 1, wo = (W - size) / s + 1;
        INDArray x = Plain.random(size * 10 + s, 2, C, H, W);
        double[] xs = Plain.flat(x), expected = new double[2 * C * ho * wo];
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < C; c++)
                for (int i = 0; i < ho; i++)
                    for (int j = 0; j < wo; j++) {
                        double m = Double.NEGATIVE_INFINITY;
                        for (int u = 0; u < size; u++)
                            for (int v = 0; v < size; v++) m = Math.max(m, xs[((n * C + c) * H + i * s + u) * W + j * s + v]);
                        expected[((n * C + c) * ho + i) * wo + j] = m;
                    }
        var h = LayerHarness.of(new MaxPool(), "size", size, "stride", strideArg).input(IN);
        Plain.assertClose(expected, h.run(DataType.DOUBLE, x).output(), 0);
        h.checkGradients(x);
    }
}
