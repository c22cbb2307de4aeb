package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.stdlib.testing.LayerHarness;
import dev.eff.stdlib.testing.Plain;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** exit(calm)'s own math: the identity in every graph, the loss weights, the confidence measures, the threshold schedule. */
class CalmTest {
    private static final Shape IN = Shape.batch(DType.FLOAT, 3, 4);

    @Test
    void itIsTheIdentity() throws Exception {
        INDArray x = Plain.random(1, 2, 3, 4);
        var h = LayerHarness.of(new Calm(), "threshold", 0.7).input(IN).randomParams(false);
        assertEquals(IN, h.outputShape());
        assertEquals(0, h.cost().params());
        var run = h.run(DataType.DOUBLE, x);
        assertArrayEquals(Plain.flat(x), Plain.flat(run.output()), 0);
        // d Σ y / dx = 1.
        assertArrayEquals(Plain.flat(x.mul(0).add(1)), Plain.flat(h.outputAndInputGradient(x, true).inputGradient()), 0);
    }

    @Test
    void lossWeightsAreCalmsAggregationWeights() {
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4}, Calm.weights(1, 4), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5}, Calm.weights(0, 2), 1e-12);
        assertArrayEquals(new double[] {1 / 15.0, 2 / 15.0, 4 / 15.0, 8 / 15.0}, Calm.weights(-1, 4), 1e-12);
    }

    @Test
    void softmaxResponseIsTopOneMinusTopTwoProbability() {
        // softmax(ln 5, ln 3, ln 2, 0) = (5, 3, 2, 1) / 11
        double[] logits = {Math.log(3), 0, Math.log(5), Math.log(2)};
        assertEquals((5 - 3) / 11.0, Calm.softmaxDiff(logits), 1e-12);
        assertEquals(0, Calm.softmaxDiff(new double[] {1, 1, 0}), 1e-12, "a tie has no margin");
        assertEquals(1, Calm.softmaxDiff(new double[] {0, 800}), 1e-12, "no overflow");
    }

    @Test
    void stateSaturationIsTheCosineOfConsecutiveStates() {
        assertEquals(1, Calm.stateCosine(new double[] {1, 2, 3}, new double[] {2, 4, 6}), 1e-12);
        assertEquals(0, Calm.stateCosine(new double[] {1, 0}, new double[] {0, 5}), 1e-12);
        assertEquals((3 * 1 + 4 * 2) / (5 * Math.sqrt(5)), Calm.stateCosine(new double[] {3, 4}, new double[] {1, 2}), 1e-12);
        assertEquals(0, Calm.stateCosine(new double[] {0, 0}, new double[] {1, 2}), 0);
    }

    @Test
    void thePositionAdjustedThresholdDecaysFromLambdaToNineTenths() {
        assertEquals(0.8, Calm.threshold(0.8, false, 4, 7, 10), 0);
        assertEquals(0.8, Calm.threshold(0.8, true, 4, 0, 10), 1e-12);
        assertEquals(0.8 * Math.exp(-2) / 10 + 0.72, Calm.threshold(0.8, true, 4, 5, 10), 1e-12);
        assertEquals(0.72, Calm.threshold(0.8, true, 4, 1_000_000, 10), 1e-9);
    }
}
