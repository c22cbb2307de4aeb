package dev.eff.stdlib.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Value;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CrossEntropyTest {

    private static Args smoothing(double eps) { return new Args(Map.of("labelSmoothing", new Value.Float(eps))); }

    /** Plain cross-entropy with smoothed targets, over the rows of C scores whose label is not negative. */
    static double reference(double[] z, int[] y, int c, double eps) {
        double total = 0;
        int labelled = 0;
        for (int n = 0; n < y.length; n++) {
            if (y[n] < 0) continue;
            labelled++;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) max = Math.max(max, z[n * c + k]);
            double sum = 0;
            for (int k = 0; k < c; k++) sum += Math.exp(z[n * c + k] - max);
            double logZ = max + Math.log(sum);
            for (int k = 0; k < c; k++) {
                double q = (k == y[n] ? 1 - eps : 0) + eps / c;
                total -= q * (z[n * c + k] - logZ);
            }
        }
        return total / labelled;
    }

    private record Case(SameDiff sd, SDVariable loss, Map<String, INDArray> ph, double[] z, int[] y) {}

    private static Case build(long[] outShape, long[] labelShape, int c, double eps, long seed) {
        return build(outShape, labelShape, c, eps, seed, 0.0);
    }

    /** Each label is -1 ("no label") with probability {@code unlabelled}. */
    private static Case build(long[] outShape, long[] labelShape, int c, double eps, long seed, double unlabelled) {
        Random r = new Random(seed);
        int n = (int) (java.util.Arrays.stream(labelShape).reduce(1, (a, b) -> a * b));
        double[] z = new double[n * c];
        for (int i = 0; i < z.length; i++) z[i] = r.nextGaussian() * 2;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextDouble() < unlabelled ? -1 : r.nextInt(c);
        SameDiff sd = SameDiff.create();
        SDVariable logits = sd.var("logits", Nd4j.createFromArray(z).reshape(outShape));
        SDVariable labels = sd.placeHolder("labels", DataType.INT32, labelShape);
        SDVariable loss = new CrossEntropy().lower(sd, smoothing(eps), logits, labels, c);
        return new Case(sd, loss, Map.of("labels", Nd4j.createFromArray(y).reshape(labelShape)), z, y);
    }

    @Test
    void matchesPlainReferenceForClassification() {
        Case k = build(new long[] {5, 4}, new long[] {5}, 4, 0.0, 1);
        double got = k.sd.output(k.ph, k.loss.name()).get(k.loss.name()).getDouble(0);
        assertEquals(reference(k.z, k.y, 4, 0.0), got, 1e-9);
    }

    @Test
    void matchesPlainReferenceForSequencesWithLabelSmoothing() {
        Case k = build(new long[] {2, 3, 5}, new long[] {2, 3}, 5, 0.1, 2);
        double got = k.sd.output(k.ph, k.loss.name()).get(k.loss.name()).getDouble(0);
        assertEquals(reference(k.z, k.y, 5, 0.1), got, 1e-9);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Case smoothed = build(new long[] {2, 3, 4}, new long[] {2, 3}, 4, 0.2, 3);
        GradientCheck.assertGradients(smoothed.sd, smoothed.ph, smoothed.loss.name(), "logits");
        Case sparse = build(new long[] {3, 5}, new long[] {3}, 5, 0.0, 4);
        GradientCheck.assertGradients(sparse.sd, sparse.ph, sparse.loss.name(), "logits");
    }

    /** A loss formula weights its terms: the gradient must see the weight (M2.1's fused CE op ignores it). */
    @Test
    void aWeightedLossHasTheWeightedGradient() {
        Case k = build(new long[] {2, 3, 4}, new long[] {2, 3}, 4, 0.1, 6);
        INDArray plain = GradientCheck.quietly(() -> k.sd.calculateGradients(k.ph, "logits")).get("logits").dup();
        SDVariable weighted = k.loss.mul(0.25);
        k.sd.setLossVariables(weighted.name());
        GradientCheck.assertGradients(k.sd, k.ph, weighted.name(), "logits");
        INDArray got = GradientCheck.quietly(() -> k.sd.calculateGradients(k.ph, "logits")).get("logits");
        assertTrue(got.equalsWithEps(plain.mul(0.25), 1e-12), "0.25 × the gradient: " + got + " vs " + plain);
    }

    @Test
    void negativeLabelsAreIgnored() {
        Case k = build(new long[] {3, 4, 5}, new long[] {3, 4}, 5, 0.1, 5, 0.5);
        long ignored = java.util.Arrays.stream(k.y).filter(v -> v < 0).count();
        assertTrue(ignored > 0 && ignored < k.y.length, "the case mixes labelled and unlabelled positions");
        double got = k.sd.output(k.ph, k.loss.name()).get(k.loss.name()).getDouble(0);
        assertEquals(reference(k.z, k.y, 5, 0.1), got, 1e-9);
        GradientCheck.assertGradients(k.sd, k.ph, k.loss.name(), "logits");
        INDArray g = GradientCheck.quietly(() -> k.sd.calculateGradients(k.ph, "logits")).get("logits").reshape(-1, 5);
        for (int n = 0; n < k.y.length; n++) {
            if (k.y[n] < 0) assertEquals(0.0, g.getRow(n).norm1Number().doubleValue(), 0.0, "no gradient at unlabelled row " + n);
        }
    }

    @Test
    void checkExplainsClassMismatch() {
        var label = new DataSchema.Field("label", Shape.batch(DType.INT));
        var e = assertThrows(ShapeException.class,
                () -> new CrossEntropy().check(smoothing(0), Shape.batch(DType.FLOAT, 10), label, 64));
        assertEquals("the model outputs 10 classes but the data has 64", e.getMessage());
        assertEquals("end the model with logits(64)", e.hint());
    }

    @Test
    void checkAcceptsSequenceLabelsAndRejectsWrongLength() throws ShapeException {
        var label = new DataSchema.Field("next", Shape.batch(DType.INT, 128));
        new CrossEntropy().check(smoothing(0), Shape.batch(DType.FLOAT, 128, 256), label, 256);
        var e = assertThrows(ShapeException.class,
                () -> new CrossEntropy().check(smoothing(0), Shape.batch(DType.FLOAT, 64, 256), label, 256));
        assertTrue(e.getMessage().contains("64 positions"), e.getMessage());
        var pooled = assertThrows(ShapeException.class,
                () -> new CrossEntropy().check(smoothing(0), Shape.batch(DType.FLOAT, 256), label, 256));
        assertTrue(pooled.getMessage().contains("[B, 128, 256]"), pooled.getMessage());
    }

    @Test
    void checkRejectsRegressionTargetsAndUnpooledSequences() {
        var floatLabel = new DataSchema.Field("y", Shape.batch(DType.FLOAT));
        var e = assertThrows(ShapeException.class,
                () -> new CrossEntropy().check(smoothing(0), Shape.batch(DType.FLOAT, 1), floatLabel, 0));
        assertEquals("use mse() for float targets", e.hint());
        var label = new DataSchema.Field("label", Shape.batch(DType.INT));
        var seq = assertThrows(ShapeException.class,
                () -> new CrossEntropy().check(smoothing(0), Shape.batch(DType.FLOAT, 16, 10), label, 10));
        assertTrue(seq.hint().startsWith("reduce the sequence first"), seq.hint());
    }
}
