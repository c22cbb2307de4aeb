package dev.eff.stdlib.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.Metric;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class MetricsTest {
    private static final Args NONE = new Args(Map.of());

    // Two batches of [2, 2, 3] scores (B=2, T=2, C=3) with [2, 2] labels.
    private static final float[][] SCORES = {
            {2f, 1f, 0f, 0f, 3f, 1f, 5f, 5f, 1f, -1f, 0f, 2f},
            {0f, 0f, 9f, 1f, 2f, 3f, 0.5f, 0.25f, 0f, 4f, 4f, 4f}};
    private static final int[][] LABELS = {{0, 1, 1, 0}, {2, 0, 0, 2}};

    private static Metric.Accumulator feed(Metric m) {
        Metric.Accumulator acc = m.start(NONE, 3);
        for (int b = 0; b < 2; b++) {
            acc.add(Nd4j.createFromArray(SCORES[b]).reshape(2, 2, 3), Nd4j.createFromArray(LABELS[b]).reshape(2, 2));
        }
        return acc;
    }

    @Test
    void accuracyCountsArgmaxHitsOverAllPositionsAndBatches() {
        // argmax per row: 0, 1, 0 (tie 5,5 → lowest), 2 | 2, 2, 0, 0 (three-way tie → 0), against labels
        // 0, 1, 1, 0 | 2, 0, 0, 2: hits at rows 1, 2, 5 and 7 of 8.
        assertEquals(4 / 8.0, feed(new Accuracy()).result(), 1e-12);
    }

    @Test
    void perplexityIsExpOfMeanTokenCrossEntropy() {
        double nll = 0;
        for (int b = 0; b < 2; b++) {
            for (int n = 0; n < 4; n++) {
                double sum = 0;
                for (int k = 0; k < 3; k++) sum += Math.exp(SCORES[b][n * 3 + k]);
                nll += Math.log(sum) - SCORES[b][n * 3 + LABELS[b][n]];
            }
        }
        assertEquals(Math.exp(nll / 8), feed(new Perplexity()).result(), 1e-9);
    }

    @Test
    void negativeLabelsAreLeftOut() {
        // Rows 0 and 2 are labelled: row 0 (argmax 0, label 0) is a hit, row 2 (argmax 1, label 0) a miss.
        float[] z = {3f, 1f, 0f, 9f, 0f, 0f, 1f, 2f, 0f, 0f, 0f, 9f};
        var scores = Nd4j.createFromArray(z).reshape(2, 2, 3);
        var labels = Nd4j.createFromArray(new int[] {0, -1, 0, -1}).reshape(2, 2);
        Metric.Accumulator acc = new Accuracy().start(NONE, 3);
        acc.add(scores, labels);
        assertEquals(0.5, acc.result(), 1e-12);
        Metric.Accumulator ppl = new Perplexity().start(NONE, 3);
        ppl.add(scores, labels);
        double nll = 0;
        for (int n : new int[] {0, 2}) {
            double sum = 0;
            for (int k = 0; k < 3; k++) sum += Math.exp(z[n * 3 + k]);
            nll += Math.log(sum) - z[n * 3];
        }
        assertEquals(Math.exp(nll / 2), ppl.result(), 1e-9);
        Metric.Accumulator none = new Accuracy().start(NONE, 3);
        none.add(Nd4j.createFromArray(new float[] {1f, 0f, 0f}).reshape(1, 3), Nd4j.createFromArray(new int[] {-1}));
        assertEquals(Double.NaN, none.result(), "nothing labelled: no accuracy");
    }

    @Test
    void perplexityDoesNotOverflowOnLargeScores() {
        Metric.Accumulator acc = new Perplexity().start(NONE, 2);
        acc.add(Nd4j.createFromArray(new float[] {1000f, 0f}).reshape(1, 2), Nd4j.createFromArray(new int[] {0}));
        assertEquals(1.0, acc.result(), 1e-12);
    }

    @Test
    void mseAveragesOverAllValues() {
        Metric.Accumulator acc = new MeanSquaredErrorMetric().start(NONE, 0);
        acc.add(Nd4j.createFromArray(new float[] {1f, 2f}).reshape(2, 1), Nd4j.createFromArray(new float[] {0f, 0f}));
        acc.add(Nd4j.createFromArray(new float[] {3f}).reshape(1, 1), Nd4j.createFromArray(new float[] {1f}));
        assertEquals((1 + 4 + 4) / 3.0, acc.result(), 1e-9);
    }

    @Test
    void emptySplitGivesNaN() {
        assertEquals(Double.NaN, new Accuracy().start(NONE, 3).result());
    }

    @Test
    void checksRejectMismatchedOutputs() {
        var label = new DataSchema.Field("label", Shape.batch(DType.INT));
        var e = assertThrows(ShapeException.class,
                () -> new Accuracy().check(NONE, Shape.batch(DType.FLOAT, 4), label, 3));
        assertEquals("the model outputs 4 classes but the data has 3", e.getMessage());
        assertThrows(ShapeException.class,
                () -> new MeanSquaredErrorMetric().check(NONE, Shape.batch(DType.FLOAT, 3), label, 3));
    }
}
