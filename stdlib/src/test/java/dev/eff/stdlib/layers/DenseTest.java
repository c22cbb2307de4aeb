package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.testing.LayerHarness;
import dev.eff.stdlib.testing.Plain;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DenseTest {

    private static final Shape IN = Shape.batch(DType.FLOAT, 3, 5);

    private static LayerHarness dense(Object... args) { return LayerHarness.of(new Dense(), args).input(IN); }

    @Test
    void projectsTheLastAxis() throws Exception {
        assertEquals("float[B, 3, 4]", dense("units", 4).outputShape().describe());
        assertEquals("float[B, 7]", LayerHarness.of(new Dense(), "units", 7).input(Shape.batch(DType.FLOAT, 5))
                .outputShape().describe());
    }

    @Test
    void rejectsTokenIdsAndVectorsWithoutFeatureAxis() {
        var ids = assertThrows(ShapeException.class,
                () -> LayerHarness.of(new Dense(), "units", 4).input(Shape.batch(DType.INT, 7)).outputShape());
        assertTrue(ids.getMessage().startsWith("expects float"), ids.getMessage()); // the checker prefixes "dense: "
        assertTrue(ids.hint().contains("embed"), ids.hint());
        var rank = assertThrows(ShapeException.class,
                () -> LayerHarness.of(new Dense(), "units", 4).input(Shape.batch(DType.FLOAT)).outputShape());
        assertNotNull(rank.hint());
    }

    @Test
    void costCountsWeightsBiasAndActivation() throws Exception {
        var plain = dense("units", 4).cost();
        assertEquals(5 * 4 + 4, plain.params());
        assertEquals(3 * (2 * 5 * 4 + 4), plain.flops());
        assertEquals(5 * 4, dense("units", 4, "bias", false).cost().params());
        assertEquals(3 * (2 * 5 * 4 + 4) + 3 * 4 * 5, dense("units", 4, "activation", "gelu").cost().flops());
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "relu", "gelu", "tanh", "sigmoid", "silu"})
    void matchesPlainComputation(String activation) {
        INDArray x = Plain.random(1, 2, 3, 5);
        var run = dense("units", 4, "activation", activation).run(DataType.DOUBLE, x);
        double[][] w = Plain.matrix(run.param("W"));
        double[] b = Plain.flat(run.param("b")), xs = Plain.flat(x);
        double[] expected = new double[2 * 3 * 4];
        for (int row = 0; row < 6; row++)
            for (int j = 0; j < 4; j++) {
                double s = b[j];
                for (int k = 0; k < 5; k++) s += xs[row * 5 + k] * w[k][j];
                expected[row * 4 + j] = Plain.activation(activation, s);
            }
        Plain.assertClose(expected, run.output(), 1e-12);
        Plain.assertClose(expected, dense("units", 4, "activation", activation).run(DataType.FLOAT, x).output(), 1e-5);
    }

    @Test
    void withoutBiasHasOnlyTheWeight() {
        var run = dense("units", 4, "bias", false).run(DataType.DOUBLE, Plain.random(2, 2, 3, 5));
        assertEquals(Set.of("W"), run.params().keySet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "relu", "gelu", "tanh", "sigmoid", "silu"})
    void gradientsMatchFiniteDifferences(String activation) {
        dense("units", 4, "activation", activation).checkGradients(Plain.random(3, 2, 3, 5));
    }

    @Test
    void gradientsOnRankTwoInput() {
        LayerHarness.of(new Dense(), "units", 3).input(Shape.batch(DType.FLOAT, 4)).checkGradients(Plain.random(4, 2, 4));
    }

    /** Training graphs add the bias as ones·bᵀ, inference graphs with biasAdd: the same values. */
    @Test
    void trainingAndInferenceGraphsAgree() {
        INDArray x = Plain.random(8, 3, 4, 5);
        var shape = Shape.batch(DType.FLOAT, 4, 5);
        INDArray training = LayerHarness.of(new Dense(), "units", 6).input(shape).run(DataType.DOUBLE, x).output();
        INDArray inference = LayerHarness.of(new Dense(), "units", 6).input(shape).inferenceGraph().run(DataType.DOUBLE, x).output();
        Plain.assertClose(Plain.flat(training), inference, 1e-12);
    }
}
