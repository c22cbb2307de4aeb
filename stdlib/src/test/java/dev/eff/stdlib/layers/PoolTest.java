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
import org.junit.jupiter.params.provider.ValueSource;

class PoolTest {

    private static final int T = 4, D = 3;
    private static final Shape IN = Shape.batch(DType.FLOAT, T, D);

    @Test
    void shapeAndCost() throws Exception {
        assertEquals("float[B, 3]", LayerHarness.of(new Pool(), "mode", "max").input(IN).outputShape().describe());
        assertEquals(T * D, LayerHarness.of(new Pool()).input(IN).cost().flops());
        assertEquals(0, LayerHarness.of(new Pool(), "mode", "last").input(IN).cost().flops());
        var e = assertThrows(ShapeException.class, () -> LayerHarness.of(new Pool()).input(Shape.batch(DType.FLOAT, 6)).outputShape());
        assertTrue(e.getMessage().contains("[B, T, d]"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean", "first", "last", "max"})
    void matchesPlainPooling(String mode) {
        INDArray x = Plain.random(1, 2, T, D);
        double[] xs = Plain.flat(x), expected = new double[2 * D];
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < D; c++) {
                double acc = mode.equals("max") ? Double.NEGATIVE_INFINITY : 0;
                for (int t = 0; t < T; t++) {
                    double v = xs[(n * T + t) * D + c];
                    acc = switch (mode) {
                        case "mean" -> acc + v / T;
                        case "max" -> Math.max(acc, v);
                        case "first" -> t == 0 ? v : acc;
                        default -> t == T - 1 ? v : acc;
                    };
                }
                expected[n * D + c] = acc;
            }
        var h = LayerHarness.of(new Pool(), "mode", mode).input(IN);
        Plain.assertClose(expected, h.run(DataType.DOUBLE, x).output(), 1e-14);
        h.checkGradients(x);
    }
}
