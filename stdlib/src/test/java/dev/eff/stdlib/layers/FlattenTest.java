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

class FlattenTest {

    @Test
    void keepsTheBatchAndRowMajorOrder() throws Exception {
        var h = LayerHarness.of(new Flatten()).input(Shape.batch(DType.FLOAT, 2, 3, 4));
        assertEquals("float[B, 24]", h.outputShape().describe());
        assertEquals(0, h.cost().flops());
        INDArray x = Plain.random(1, 2, 2, 3, 4);
        INDArray out = h.run(DataType.DOUBLE, x).output();
        Plain.assertClose(Plain.flat(x), out, 0);
        h.checkGradients(x);
    }

    @Test
    void keepsIntIdsInt() throws Exception {
        assertEquals("int[B, 6]", LayerHarness.of(new Flatten()).input(Shape.batch(DType.INT, 2, 3)).outputShape().describe());
        assertThrows(ShapeException.class, () -> LayerHarness.of(new Flatten()).input(Shape.batch(DType.FLOAT)).outputShape());
    }
}
