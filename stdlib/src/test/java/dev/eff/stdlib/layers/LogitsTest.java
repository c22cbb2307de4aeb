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

class LogitsTest {

    @Test
    void shapeAndCost() throws Exception {
        var h = LayerHarness.of(new Logits(), "classes", 10).input(Shape.batch(DType.FLOAT, 8));
        assertEquals("float[B, 10]", h.outputShape().describe());
        assertEquals(8 * 10 + 10, h.cost().params());
        assertEquals(2 * 8 * 10 + 10, h.cost().flops());
        var perToken = LayerHarness.of(new Logits(), "classes", 10).input(Shape.batch(DType.FLOAT, 6, 8));
        assertEquals("float[B, 6, 10]", perToken.outputShape().describe());
        assertThrows(ShapeException.class,
                () -> LayerHarness.of(new Logits(), "classes", 10).input(Shape.batch(DType.INT, 6)).outputShape());
    }

    @Test
    void scoresAreAnAffineMapWithoutSoftmax() {
        INDArray x = Plain.random(8, 3, 4);
        var run = LayerHarness.of(new Logits(), "classes", 3).input(Shape.batch(DType.FLOAT, 4)).run(DataType.DOUBLE, x);
        double[][] expected = Plain.affine(Plain.matrix(x), Plain.matrix(run.param("W")), Plain.flat(run.param("b")));
        Plain.assertClose(Plain.concat(expected), run.output(), 1e-12);
    }

    @Test
    void gradients() {
        LayerHarness.of(new Logits(), "classes", 3).input(Shape.batch(DType.FLOAT, 2, 4)).checkGradients(Plain.random(9, 2, 2, 4));
    }
}
