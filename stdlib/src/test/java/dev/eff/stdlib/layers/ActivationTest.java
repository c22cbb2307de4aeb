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

class ActivationTest {

    private static final Shape IN = Shape.batch(DType.FLOAT, 3, 4);

    @ParameterizedTest
    @ValueSource(strings = {"relu", "gelu", "tanh", "sigmoid", "silu"})
    void matchesTextbookDefinition(String fn) {
        INDArray x = Plain.random(1, 2, 3, 4).mul(3);
        double[] xs = Plain.flat(x), expected = new double[xs.length];
        for (int i = 0; i < xs.length; i++) expected[i] = Plain.activation(fn, xs[i]);
        var h = LayerHarness.of(new Activation(), "function", fn).input(IN);
        Plain.assertClose(expected, h.run(DataType.DOUBLE, x).output(), 1e-13);
        Plain.assertClose(expected, h.run(DataType.FLOAT, x).output(), 1e-6);
        h.checkGradients(x);
    }

    @Test
    void geluIsTheExactErfFormNotAnApproximation() {
        // exact GELU at 1, -1, 2; the tanh approximation is off by ~1e-4 and sd.nn.preciseGelu by ~1e-2 here
        INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1, -1, 2}});
        var out = LayerHarness.of(new Activation(), "function", "gelu").input(Shape.batch(DType.FLOAT, 3))
                .run(DataType.DOUBLE, x).output();
        Plain.assertClose(new double[] {0.8413447460685429, -0.15865525393145707, 1.9544997361036416}, out, 1e-14);
    }

    @Test
    void shapeAndCost() throws Exception {
        var h = LayerHarness.of(new Activation(), "function", "gelu").input(IN);
        assertEquals(IN, h.outputShape());
        assertEquals(0, h.cost().params());
        assertEquals(12 * Gelu.OPS_PER_ELEMENT, h.cost().flops());
        assertThrows(ShapeException.class,
                () -> LayerHarness.of(new Activation(), "function", "relu").input(Shape.batch(DType.INT, 3)).outputShape());
        assertTrue(new Activation().signature().param("function").orElseThrow().type().describe().startsWith("relu"));
    }
}
