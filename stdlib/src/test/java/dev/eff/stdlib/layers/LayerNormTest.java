package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.testing.LayerHarness;
import dev.eff.stdlib.testing.Plain;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class LayerNormTest {

    private static final int T = 3, D = 5;
    private static final Shape IN = Shape.batch(DType.FLOAT, T, D);

    @Test
    void shapeAndCost() throws Exception {
        var h = LayerHarness.of(new LayerNorm()).input(IN);
        assertEquals(IN, h.outputShape());
        assertEquals(2 * D, h.cost().params());
        assertThrows(ShapeException.class, () -> LayerHarness.of(new LayerNorm()).input(Shape.batch(DType.INT, 4)).outputShape());
    }

    @Test
    void normalisesEachVectorWithEpsInsideTheRoot() {
        // a spread of 1e-3 makes the variance (~1e-7) comparable to eps, so a misplaced eps shows
        INDArray x = Plain.random(1, 2, T, D).mul(1e-3).add(0.5);
        double eps = 1e-7;
        var run = LayerHarness.of(new LayerNorm(), "eps", eps).input(IN).run(DataType.DOUBLE, x);
        assertEquals(Set.of("g", "b"), run.params().keySet());
        double[] g = Plain.flat(run.param("g")), b = Plain.flat(run.param("b")), xs = Plain.flat(x);
        double[] expected = new double[xs.length];
        for (int r = 0; r < xs.length / D; r++) {
            double[] v = Plain.row(xs, r, D);
            double mean = 0, var = 0;
            for (double a : v) mean += a / D;
            for (double a : v) var += (a - mean) * (a - mean) / D;
            for (int c = 0; c < D; c++) expected[r * D + c] = (v[c] - mean) / Math.sqrt(var + eps) * g[c] + b[c];
        }
        Plain.assertClose(expected, run.output(), 1e-9);
    }

    @Test
    void initialGainIsOneAndBiasZero() {
        INDArray x = Plain.random(2, 4, D);
        var run = LayerHarness.of(new LayerNorm()).input(Shape.batch(DType.FLOAT, D)).randomParams(false).run(DataType.DOUBLE, x);
        INDArray out = run.output();
        for (int r = 0; r < 4; r++) {
            assertEquals(0, out.getRow(r).meanNumber().doubleValue(), 1e-12);
            assertEquals(1, out.getRow(r).varNumber().doubleValue() * (D - 1) / D, 1e-3); // var / (var + eps)
        }
    }

    @Test
    void constantVectorsStayFinite() {
        // ND4J's built-in layer_norm divides 0 by 0 here; eps keeps the composed one at exactly b
        INDArray x = Plain.random(4, 2, T, D).mul(0).add(0.7);
        var run = LayerHarness.of(new LayerNorm()).input(IN).run(DataType.DOUBLE, x);
        double[] b = Plain.flat(run.param("b")), expected = new double[2 * T * D];
        for (int i = 0; i < expected.length; i++) expected[i] = b[i % D];
        Plain.assertClose(expected, run.output(), 1e-12);
    }

    @Test
    void rejectsWidthOne() {
        assertThrows(ShapeException.class, () -> LayerHarness.of(new LayerNorm()).input(Shape.batch(DType.FLOAT, 3, 1)).outputShape());
    }

    @Test
    void gradients() {
        LayerHarness.of(new LayerNorm()).input(IN).checkGradients(Plain.random(3, 2, T, D));
    }

    /** Training graphs apply the broadcasts as K = 1 products, inference graphs as broadcasts: the same values. */
    @Test
    void trainingAndInferenceGraphsAgree() {
        INDArray x = Plain.random(6, 3, 4, 7);
        var shape = Shape.batch(DType.FLOAT, 4, 7);
        INDArray training = LayerHarness.of(new LayerNorm()).input(shape).run(DataType.DOUBLE, x).output();
        INDArray inference = LayerHarness.of(new LayerNorm()).input(shape).inferenceGraph().run(DataType.DOUBLE, x).output();
        Plain.assertClose(Plain.flat(training), inference, 1e-12);
    }
}
