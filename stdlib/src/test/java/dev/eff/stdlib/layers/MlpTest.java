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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import dev.eff.dsl.check.SideOutput;
import dev.eff.dsl.check.Value;
import org.nd4j.autodiff.samediff.SameDiff;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

    private static Value.Call topK(int k) { return new Value.Call("topK", Map.of("k", new Value.Int(k)), null); }

    @Test
    void topKKeepsExactlyTheKLargestReluActivationsPerToken() {
        INDArray x = Plain.random(7, 3, T, D);
        var h = LayerHarness.of(new Mlp(), "hidden", 9, "activation", topK(3)).input(IN);
        var run = h.run(DataType.DOUBLE, x);
        double[] xs = Plain.flat(x);
        double[][] rows = new double[3 * T][];
        for (int r = 0; r < rows.length; r++) rows[r] = Plain.row(xs, r, D);
        double[][] first = Plain.affine(rows, Plain.matrix(run.param("W1")), Plain.flat(run.param("b1")));
        double[][] hidden = new double[rows.length][9];
        for (int r = 0; r < rows.length; r++) {
            double[] sorted = first[r].clone();
            Arrays.sort(sorted);
            double kth = sorted[9 - 3];
            for (int j = 0; j < 9; j++) hidden[r][j] = first[r][j] >= kth ? Math.max(0, first[r][j]) : 0;
        }
        double[][] expected = Plain.affine(hidden, Plain.matrix(run.param("W2")), Plain.flat(run.param("b2")));
        Plain.assertClose(Plain.concat(expected), run.output(), 1e-12);
        h.checkGradients(x);
    }

    @Test
    void topKMaskSelectsExactlyK() {
        SameDiff sd = SameDiff.create();
        INDArray z = Plain.random(8, 50, 16).add(3);   // all positive, so every kept entry is non-zero
        INDArray kept = Mlp.topK(sd, sd.constant("z", z), 5).eval();
        for (int r = 0; r < 50; r++) {
            int count = 0;
            for (int j = 0; j < 16; j++) if (kept.getDouble(r, j) != 0) count++;
            assertEquals(5, count, "row " + r);
        }
    }

    @Test
    void topKLargerThanHiddenIsAShapeError() {
        var e = assertThrows(ShapeException.class,
                () -> LayerHarness.of(new Mlp(), "hidden", 4, "activation", topK(5)).input(IN).outputShape());
        assertTrue(e.getMessage().contains("k = 5"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"relu", "gelu", "swiglu", "topK"})
    void nonzeroProbeIsTheFractionOfActiveHiddenUnits(String activation) {
        INDArray x = Plain.random(9, 4, T, D);
        Object act = activation.equals("topK") ? topK(2) : activation;
        var h = LayerHarness.of(new Mlp(), "hidden", 8, "activation", act).input(IN);
        assertEquals(List.of("nonzero"), h.args() == null ? null
                : new Mlp().sideOutputs(h.args()).stream().map(SideOutput::name).toList());
        double nonzero = h.probes(DataType.DOUBLE, x, false).get("nonzero").getDouble(0);
        var run = h.run(DataType.DOUBLE, x);
        double[] xs = Plain.flat(x);
        double[][] rows = new double[4 * T][];
        for (int r = 0; r < rows.length; r++) rows[r] = Plain.row(xs, r, D);
        double[][] first = Plain.affine(rows, Plain.matrix(run.param("W1")), Plain.flat(run.param("b1")));
        int active = 0;
        for (double[] row : first) {
            double[] sorted = row.clone();
            Arrays.sort(sorted);
            for (int j = 0; j < 8; j++) {
                double a = switch (activation) {
                    case "relu" -> Math.max(0, row[j]);
                    case "gelu" -> Plain.gelu(row[j]);
                    case "swiglu" -> row[j] * Plain.sigmoid(row[j]) * row[8 + j];
                    default -> row[j] >= sorted[sorted.length - 2] ? Math.max(0, row[j]) : 0;
                };
                if (activation.equals("relu") || activation.equals("topK") ? a > 0 : Math.abs(a) > Mlp.NONZERO_THRESHOLD) active++;
            }
        }
        assertEquals((double) active / (rows.length * 8), nonzero, 1e-12);
        if (activation.equals("topK")) assertTrue(nonzero <= 2.0 / 8);
    }
}
