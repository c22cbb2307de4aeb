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
import java.util.Map;

/** add, multiply and concat: the two-input layers whose second input is a named model value. */
class JoinTest {

    private static final Shape A = Shape.batch(DType.FLOAT, 3, 4);

    @Test
    void addAndMultiplyNeedEqualShapes() throws Exception {
        assertEquals(A, LayerHarness.of(new Add(), "other", "h").input(A).ref("other", A).outputShape());
        var e = assertThrows(ShapeException.class,
                () -> LayerHarness.of(new Add(), "other", "h").input(A).ref("other", A.withLast(5)).outputShape());
        assertTrue(e.getMessage().contains("float[B, 3, 4] and float[B, 3, 5]"), e.getMessage());
        assertThrows(ShapeException.class,
                () -> LayerHarness.of(new Multiply(), "other", "h").input(A).ref("other", A.withType(DType.INT)).outputShape());
        assertEquals(12, LayerHarness.of(new Multiply(), "other", "h").input(A).ref("other", A).cost().flops());
    }

    @Test
    void addAndMultiplyAreElementwise() {
        INDArray x = Plain.random(1, 2, 3, 4), y = Plain.random(2, 2, 3, 4);
        double[] xs = Plain.flat(x), ys = Plain.flat(y), sum = new double[xs.length], product = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            sum[i] = xs[i] + ys[i];
            product[i] = xs[i] * ys[i];
        }
        var add = LayerHarness.of(new Add(), "other", "h").input(A).ref("other", A);
        var mul = LayerHarness.of(new Multiply(), "other", "h").input(A).ref("other", A);
        Plain.assertClose(sum, add.run(DataType.DOUBLE, x, Map.of("other", y)).output(), 0);
        Plain.assertClose(product, mul.run(DataType.DOUBLE, x, Map.of("other", y)).output(), 0);
        add.checkGradients(x, Map.of("other", y));
        mul.checkGradients(x, Map.of("other", y));
    }

    @Test
    void concatShapeRule() throws Exception {
        var last = LayerHarness.of(new Concat(), "other", "h").input(A).ref("other", A.withLast(2));
        assertEquals("float[B, 3, 6]", last.outputShape().describe());
        var middle = LayerHarness.of(new Concat(), "other", "h", "axis", 1).input(A).ref("other", Shape.batch(DType.FLOAT, 5, 4));
        assertEquals("float[B, 8, 4]", middle.outputShape().describe());
        var mismatch = assertThrows(ShapeException.class, () -> LayerHarness.of(new Concat(), "other", "h", "axis", 1)
                .input(A).ref("other", Shape.batch(DType.FLOAT, 5, 2)).outputShape());
        assertTrue(mismatch.getMessage().contains("every other dimension"), mismatch.getMessage());
        var batch = assertThrows(ShapeException.class, () -> LayerHarness.of(new Concat(), "other", "h", "axis", 0)
                .input(A).ref("other", A).outputShape());
        assertTrue(batch.hint().contains("batch"), batch.hint());
        assertThrows(ShapeException.class, () -> LayerHarness.of(new Concat(), "other", "h", "axis", 3)
                .input(A).ref("other", A).outputShape());
    }

    @Test
    void concatJoinsAlongTheAxis() {
        INDArray x = Plain.random(3, 2, 3, 4), y = Plain.random(4, 2, 3, 2);
        double[] xs = Plain.flat(x), ys = Plain.flat(y), expected = new double[2 * 3 * 6];
        for (int r = 0; r < 6; r++) {
            System.arraycopy(xs, r * 4, expected, r * 6, 4);
            System.arraycopy(ys, r * 2, expected, r * 6 + 4, 2);
        }
        var h = LayerHarness.of(new Concat(), "other", "h", "axis", -1).input(A).ref("other", A.withLast(2));
        Plain.assertClose(expected, h.run(DataType.DOUBLE, x, Map.of("other", y)).output(), 0);
        h.checkGradients(x, Map.of("other", y));
    }
}
