package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.testing.LayerHarness;
import dev.eff.stdlib.testing.Plain;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class EmbedTest {

    private static final int VOCAB = 7, T = 5, DIM = 6;
    private static final Shape IDS = Shape.batch(DType.INT, T);

    private static LayerHarness embed(String position) {
        return LayerHarness.of(new Embed(), "vocab", VOCAB, "dim", DIM, "position", position).input(IDS);
    }

    @Test
    void shapeRule() throws Exception {
        assertEquals("float[B, 5, 6]", embed("learned").outputShape().describe());
        var floats = assertThrows(ShapeException.class, () -> LayerHarness.of(new Embed(), "vocab", 7, "dim", 6)
                .input(Shape.batch(DType.FLOAT, 5)).outputShape());
        assertTrue(floats.hint().contains("dense"), floats.hint());
        assertThrows(ShapeException.class, () -> LayerHarness.of(new Embed(), "vocab", 7, "dim", 6)
                .input(Shape.batch(DType.INT, 5, 2)).outputShape());
    }

    @Test
    void cost() throws Exception {
        assertEquals(VOCAB * DIM + T * DIM, embed("learned").cost().params());
        assertEquals(VOCAB * DIM, embed("sinusoidal").cost().params());
        assertEquals(VOCAB * DIM, embed("none").cost().params());
        assertEquals(2L * T * VOCAB * DIM, embed("none").cost().flops());
    }

    @Test
    void learnedPositionsAddARowPerPosition() {
        INDArray ids = Plain.ints(1, VOCAB, 3, T);
        var run = embed("learned").run(DataType.DOUBLE, ids);
        assertEquals(Set.of("tokens", "positions"), run.params().keySet());
        double[][] table = Plain.matrix(run.param("tokens")), pos = Plain.matrix(run.param("positions"));
        Plain.assertClose(expected(ids, table, pos), run.output(), 1e-12);
        Plain.assertClose(expected(ids, table, pos), embed("learned").run(DataType.FLOAT, ids).output(), 1e-6);
    }

    @Test
    void sinusoidalPositionsFollowVaswani() {
        INDArray ids = Plain.ints(2, VOCAB, 2, T);
        var run = embed("sinusoidal").run(DataType.DOUBLE, ids);
        assertEquals(Set.of("tokens"), run.params().keySet());
        double[][] pos = new double[T][DIM];
        for (int t = 0; t < T; t++)
            for (int i = 0; 2 * i < DIM; i++) {
                double angle = t / Math.pow(10000, 2.0 * i / DIM);
                pos[t][2 * i] = Math.sin(angle);
                if (2 * i + 1 < DIM) pos[t][2 * i + 1] = Math.cos(angle);
            }
        Plain.assertClose(expected(ids, Plain.matrix(run.param("tokens")), pos), run.output(), 1e-12);
    }

    @Test
    void noPositionIsAPureLookup() {
        INDArray ids = Plain.ints(3, VOCAB, 2, T);
        var run = embed("none").run(DataType.DOUBLE, ids);
        Plain.assertClose(expected(ids, Plain.matrix(run.param("tokens")), new double[T][DIM]), run.output(), 1e-12);
    }

    @Test
    void gradientsReachTheRowsOfUsedTokensAndThePositions() {
        embed("learned").checkGradients(Plain.ints(4, VOCAB, 2, T));
        embed("sinusoidal").checkGradients(Plain.ints(5, VOCAB, 2, T));
    }

    private static double[] expected(INDArray ids, double[][] table, double[][] pos) {
        double[] id = Plain.flat(ids);
        double[] out = new double[id.length * DIM];
        for (int i = 0; i < id.length; i++)
            for (int c = 0; c < DIM; c++) out[i * DIM + c] = table[(int) id[i]][c] + pos[i % T][c];
        return out;
    }
}
