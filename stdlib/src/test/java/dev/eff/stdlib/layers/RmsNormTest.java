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

class RmsNormTest {

    private static final int D = 5;
    private static final Shape IN = Shape.batch(DType.FLOAT, 2, D);

    @Test
    void shapeAndCost() throws Exception {
        var h = LayerHarness.of(new RmsNorm()).input(IN);
        assertEquals(IN, h.outputShape());
        assertEquals(D, h.cost().params());
        assertThrows(ShapeException.class, () -> LayerHarness.of(new RmsNorm()).input(Shape.batch(DType.INT, 4)).outputShape());
    }

    @Test
    void dividesByTheRootMeanSquareWithoutCentring() {
        INDArray x = Plain.random(1, 3, 2, D).mul(1e-3).add(0.2);
        double eps = 1e-6;
        var run = LayerHarness.of(new RmsNorm(), "eps", eps).input(IN).run(DataType.DOUBLE, x);
        double[] g = Plain.flat(run.param("g")), xs = Plain.flat(x), expected = new double[xs.length];
        for (int r = 0; r < xs.length / D; r++) {
            double ms = 0;
            for (int c = 0; c < D; c++) ms += xs[r * D + c] * xs[r * D + c] / D;
            for (int c = 0; c < D; c++) expected[r * D + c] = xs[r * D + c] / Math.sqrt(ms + eps) * g[c];
        }
        Plain.assertClose(expected, run.output(), 1e-10);
        assertEquals(java.util.Set.of("g"), run.params().keySet());
    }

    @Test
    void gradients() {
        LayerHarness.of(new RmsNorm()).input(IN).checkGradients(Plain.random(2, 3, 2, D));
    }

    /** Training graphs apply the broadcasts as K = 1 products, inference graphs as broadcasts: the same values. */
    @Test
    void trainingAndInferenceGraphsAgree() {
        INDArray x = Plain.random(6, 3, 4, 7);
        var shape = Shape.batch(DType.FLOAT, 4, 7);
        INDArray training = LayerHarness.of(new RmsNorm()).input(shape).run(DataType.DOUBLE, x).output();
        INDArray inference = LayerHarness.of(new RmsNorm()).input(shape).inferenceGraph().run(DataType.DOUBLE, x).output();
        Plain.assertClose(Plain.flat(training), inference, 1e-12);
    }
}
