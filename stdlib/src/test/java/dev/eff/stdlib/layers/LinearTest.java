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

class LinearTest {

    private static final Shape IN = Shape.batch(DType.FLOAT, 2, 3, 4);

    @Test
    void shapeAndCost() throws Exception {
        var h = LayerHarness.of(new Linear(), "units", 5).input(IN);
        assertEquals("float[B, 2, 3, 5]", h.outputShape().describe());
        assertEquals(4 * 5 + 5, h.cost().params());
        assertEquals(6 * (2 * 4 * 5 + 5), h.cost().flops());
        assertThrows(ShapeException.class,
                () -> LayerHarness.of(new Linear(), "units", 5).input(Shape.batch(DType.INT, 3)).outputShape());
    }

    @Test
    void matchesPlainAffineMapOnRankFourInput() {
        INDArray x = Plain.random(5, 2, 2, 3, 4);
        var run = LayerHarness.of(new Linear(), "units", 5).input(IN).run(DataType.DOUBLE, x);
        double[][] rows = new double[12][];
        double[] xs = Plain.flat(x);
        for (int r = 0; r < 12; r++) rows[r] = Plain.row(xs, r, 4);
        double[][] expected = Plain.affine(rows, Plain.matrix(run.param("W")), Plain.flat(run.param("b")));
        Plain.assertClose(Plain.concat(expected), run.output(), 1e-12);
    }

    @Test
    void gradients() {
        LayerHarness.of(new Linear(), "units", 3, "bias", false).input(IN).checkGradients(Plain.random(6, 2, 2, 3, 4));
        LayerHarness.of(new Linear(), "units", 3).input(IN).checkGradients(Plain.random(7, 2, 2, 3, 4));
    }
}
