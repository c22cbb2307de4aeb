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
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MlpTest {

    private static final int T = 3, D = 4;
    private static final Shape IN = Shape.batch(DType.FLOAT, T, D);

    @Test
    void shapeAndCost() throws Exception {
        var gelu = LayerHarness.of(new Mlp(), "hidden", 8).input(IN);
        assertEquals(IN, gelu.outputShape());
        assertEquals(D * 8 + 8 + 8 * D + D, gelu.cost().params());
        assertEquals(T * ((2 * D * 8 + 8) + 8 * Gelu.OPS_PER_ELEMENT + (2 * 8 * D + D)), gelu.cost().flops());
        var swiglu = LayerHarness.of(new Mlp(), "hidden", 8, "activation", "swiglu", "out", 2).input(IN);
        assertEquals("float[B, 3, 2]", swiglu.outputShape().describe());
        assertEquals(D * 16 + 16 + 8 * 2 + 2, swiglu.cost().params());
        assertThrows(ShapeException.class,
                () -> LayerHarness.of(new Mlp(), "hidden", 8).input(Shape.batch(DType.INT, 3)).outputShape());
    }

    @ParameterizedTest
    @CsvSource({"gelu, 0", "relu, 2", "swiglu, 0", "swiglu, 3"})
    void matchesPlainFeedForward(String activation, int out) {
        INDArray x = Plain.random(1, 2, T, D);
        var h = LayerHarness.of(new Mlp(), "hidden", 5, "activation", activation, "out", out).input(IN);
        var run = h.run(DataType.DOUBLE, x);
        assertEquals(Set.of("W1", "b1", "W2", "b2"), run.params().keySet());
        double[] xs = Plain.flat(x);
        double[][] rows = new double[2 * T][];
        for (int r = 0; r < rows.length; r++) rows[r] = Plain.row(xs, r, D);
        double[][] first = Plain.affine(rows, Plain.matrix(run.param("W1")), Plain.flat(run.param("b1")));
        double[][] hidden = new double[rows.length][5];
        for (int r = 0; r < rows.length; r++)
            for (int j = 0; j < 5; j++) {
                hidden[r][j] = activation.equals("swiglu")
                        ? first[r][j] * Plain.sigmoid(first[r][j]) * first[r][5 + j]
                        : Plain.activation(activation, first[r][j]);
            }
        double[][] expected = Plain.affine(hidden, Plain.matrix(run.param("W2")), Plain.flat(run.param("b2")));
        Plain.assertClose(Plain.concat(expected), run.output(), 1e-12);
        h.checkGradients(x);
    }
}
