package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.stdlib.layers.PerformerAttention.Kernel;
import dev.eff.stdlib.testing.LayerHarness;
import dev.eff.stdlib.testing.Plain;
import java.util.Map;
import java.util.SplittableRandom;
import dev.eff.stdlib.GraphContext;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.ScopedLowering;
import dev.eff.stdlib.VariableRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class PerformerAttentionTest {

    /** Queries, keys, values [N, T, dh] with entries N(0, std²): ‖x+y‖²/dh^{1/2}-scaled norms grow with std. */
    private record Inputs(INDArray q, INDArray k, INDArray v) {
        static Inputs draw(long seed, int n, int t, int dh, double std) {
            SplittableRandom rng = new SplittableRandom(seed);
            return new Inputs(gaussian(rng, std, n, t, dh), gaussian(rng, std, n, t, dh), gaussian(rng, 1, n, t, dh));
        }
    }

    @Test
    void isTheAttentionVariantPerformer() {
        assertEquals("attention(performer)", new PerformerAttention().signature().title());
        assertEquals(java.util.List.of("heads", "causal", "features", "kernel", "redraw", "decay", "chunk"),
                new PerformerAttention().signature().params().stream().map(p -> p.name()).toList());
    }

    @Test
    void outputErrorAgainstExactSoftmaxFallsAsFeaturesGrow() {
        int[] features = {8, 32, 128, 512};
        double[] errors = new double[features.length];
        for (int seed = 0; seed < 4; seed++) {
            Inputs in = Inputs.draw(100 + seed, 2, 24, 8, 0.6);
            double[] exact = exactAttention(in, false);
            for (int i = 0; i < features.length; i++) {
                INDArray omega = PerformerAttention.orthogonalGaussian(500 + seed, features[i], 8);
                errors[i] += relativeError(exact, linearAttention(in, omega, Kernel.POSITIVE, false, 0)) / 4;
            }
        }
        for (int i = 1; i < features.length; i++) {
            assertTrue(errors[i] < errors[i - 1], "error does not fall with features: " + java.util.Arrays.toString(errors));
        }
        // the estimator's standard deviation falls like 1/√m: 64× the features, about 8× less error
        assertTrue(errors[features.length - 1] < errors[0] / 4, "error falls too slowly: " + java.util.Arrays.toString(errors));
    }

    @Test
    void favorPlusPlusHasLowerErrorThanFavorPlusAtEqualFeatures() {
        double positive = 0, favorpp = 0;
        for (int seed = 0; seed < 12; seed++) {
            Inputs in = Inputs.draw(200 + seed, 2, 24, 8, 0.9);
            double[] exact = exactAttention(in, false);
            INDArray omega = PerformerAttention.orthogonalGaussian(700 + seed, 16, 8);
            positive += relativeError(exact, linearAttention(in, omega, Kernel.POSITIVE, false, 0));
            favorpp += relativeError(exact, linearAttention(in, omega, Kernel.FAVORPP, false, 0));
        }
        assertTrue(favorpp < positive, "FAVOR++ error " + favorpp / 12 + " vs FAVOR+ " + positive / 12);
    }

    @ParameterizedTest
    @EnumSource(Kernel.class)
    void causalChunkedPrefixSumsEqualTheQuadraticMaskedLinearAttention(Kernel kernel) {
        Inputs in = Inputs.draw(300, 3, 12, 4, 0.7);
        INDArray omega = PerformerAttention.orthogonalGaussian(301, 6, 4);
        INDArray[] phi = featureValues(in, omega, kernel);
        double[] quadratic = maskedLinear(phi[0], phi[1], in.v());
        for (int chunk : new int[] {1, 3, 4, 12}) {
            Plain.assertClose(quadratic, linearAttention(in, omega, kernel, true, chunk), 1e-10);
        }
    }

    @ParameterizedTest
    @CsvSource({"0.3, 1", "0.3, 4", "1.5, 3", "0.05, 12"})
    void decayingRelativePositionMaskEqualsTheQuadraticToeplitzMaskedComputation(double lambda, int chunk) {
        Inputs in = Inputs.draw(310, 2, 12, 4, 0.7);
        INDArray omega = PerformerAttention.orthogonalGaussian(311, 6, 4);
        INDArray[] phi = featureValues(in, omega, Kernel.FAVORPP);
        double gamma = Math.exp(-lambda);
        Plain.assertClose(maskedLinear(phi[0], phi[1], in.v(), gamma), linearAttention(in, omega, Kernel.FAVORPP, true, chunk, gamma), 1e-10);
    }

    @Test
    void decayNeedsCausal() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.eff.dsl.check.ShapeException.class,
                () -> LayerHarness.of(new PerformerAttention(), "heads", 2, "decay", 0.5).input(Shape.batch(DType.FLOAT, 6, 4)).outputShape());
        assertTrue(e.getMessage().contains("needs causal = true"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Kernel.class)
    void featureMapsArePositive(Kernel kernel) {
        Inputs in = Inputs.draw(400, 2, 16, 8, 2.0);
        for (INDArray phi : featureValues(in, PerformerAttention.orthogonalGaussian(401, 32, 8), kernel)) {
            assertTrue(phi.minNumber().doubleValue() > 0, kernel + " features reach " + phi.minNumber());
        }
    }

    /** A ≤ 0 makes exp(A‖ω‖² + B·ωᵀx − ‖x‖²/2) bounded in ω (at most exp(B²‖x‖²/(−4A) − ‖x‖²/2)); B = √(1−4A). */
    @Test
    void favorPlusPlusCoefficientsMatchTheOptimumAndMakeFeaturesBounded() {
        Inputs in = Inputs.draw(500, 3, 10, 4, 1.0);
        SameDiff sd = SameDiff.create();
        double s = Math.pow(4, -0.25);
        SDVariable[] ab = PerformerAttention.favorppCoefficients(sd, sd.constant("x", in.q().mul(s)),
                sd.constant("y", in.k().mul(s)), 4);
        INDArray a = ab[0].eval(), b = ab[1].eval();
        for (int n = 0; n < 3; n++) {
            double[][] x = slice(in.q(), n), y = slice(in.k(), n);
            double sum = 0;
            for (double[] xi : x) for (double[] yj : y) for (int e = 0; e < 4; e++) sum += Math.pow(s * (xi[e] + yj[e]), 2);
            double rho = sum / (x.length * y.length) / 4;
            double expected = (1 - 2 * rho - Math.sqrt((2 * rho + 1) * (2 * rho + 1) + 8 * rho)) / 16;
            assertEquals(expected, a.getDouble(n), 1e-12);
            assertTrue(a.getDouble(n) < 0, "A = " + a.getDouble(n) + " is not negative: features unbounded");
            assertEquals(Math.sqrt(1 - 4 * expected), b.getDouble(n), 1e-12);
        }
    }

    @ParameterizedTest
    @CsvSource({"positive, false", "favorpp, true", "positive, true"})
    void layerWithManyFeaturesApproachesSoftmaxAttentionWithTheSameWeights(String kernel, boolean causal) {
        Shape in = Shape.batch(DType.FLOAT, 12, 8);
        INDArray x = Plain.random(600, 2, 12, 8).mul(0.5);
        INDArray exact = LayerHarness.of(new SoftmaxAttention(), "heads", 2, "causal", causal).input(in).randomParams(false)
                .run(DataType.DOUBLE, x).output();
        INDArray approx = LayerHarness.of(new PerformerAttention(), "heads", 2, "causal", causal, "kernel", kernel,
                "features", 2048, "chunk", 4).input(in).randomParams(false).run(DataType.DOUBLE, x).output();
        double err = relativeError(Plain.flat(exact), approx);
        assertTrue(err < 0.03, kernel + ": relative error " + err);
    }

    @Test
    void causalOutputsIgnoreLaterPositions() {
        var layer = LayerHarness.of(new PerformerAttention(), "heads", 2, "causal", true, "features", 16, "chunk", 3)
                .input(Shape.batch(DType.FLOAT, 9, 4));
        INDArray x = Plain.random(700, 1, 9, 4), changed = x.dup();
        changed.get(NDArrayIndex.point(0), NDArrayIndex.point(8), NDArrayIndex.all()).addi(3.0);
        INDArray a = layer.run(DataType.DOUBLE, x).output(), b = layer.run(DataType.DOUBLE, changed).output();
        // equal up to rounding: the keys' stabiliser is one constant over all keys, which cancels exactly
        for (int t = 0; t < 8; t++) {
            for (int e = 0; e < 4; e++) assertEquals(a.getDouble(0, t, e), b.getDouble(0, t, e), 1e-12);
        }
        assertTrue(Math.abs(a.getDouble(0, 8, 0) - b.getDouble(0, 8, 0)) > 1e-6);
    }

    @ParameterizedTest
    @CsvSource({"positive, false, 0", "positive, true, 0", "favorpp, false, 0", "favorpp, true, 0", "relu, false, 0",
            "relu, true, 0", "favorpp, true, 0.4"})
    void gradients(String kernel, boolean causal, double decay) {
        LayerHarness.of(new PerformerAttention(), "heads", 2, "causal", causal, "kernel", kernel, "features", 6, "chunk", 2,
                        "decay", decay)
                .input(Shape.batch(DType.FLOAT, 6, 4)).checkGradients(Plain.random(800, 2, 6, 4).mul(0.5));
    }

    @Test
    void costIsLinearInSequenceLengthAndFarBelowSoftmaxAtLongLengths() throws Exception {
        long[] flops = new long[2];
        for (int i = 0; i < 2; i++) {
            Shape in = Shape.batch(DType.FLOAT, 2048L << i, 64);
            flops[i] = LayerHarness.of(new PerformerAttention(), "heads", 4, "causal", true).input(in).cost().flops();
        }
        // linear but for the prefix over T/64 chunks, a GEMM with an [n, n] triangle (n = 32, 64 here)
        assertTrue((double) flops[1] / flops[0] > 1.99 && (double) flops[1] / flops[0] < 2.1, flops[1] + " / " + flops[0]);
        Shape in = Shape.batch(DType.FLOAT, 4096, 64);
        long softmax = LayerHarness.of(new SoftmaxAttention(), "heads", 4).input(in).cost().flops();
        long performer = LayerHarness.of(new PerformerAttention(), "heads", 4).input(in).cost().flops();
        assertTrue(performer * 4 < softmax, "performer " + performer + " vs softmax " + softmax);
        assertEquals(AttentionHeads.projectionParams(64),
                LayerHarness.of(new PerformerAttention(), "heads", 4).input(in).cost().params());
    }

    @Test
    void randomFeaturesAreAStateBufferRedrawnOnScheduleWithoutTouchingWeights() {
        SameDiff sd = SameDiff.create();
        Parameters store = new Parameters("m");
        GraphContext graph = new GraphContext(sd, store, 5, DataType.DOUBLE, sd.placeHolder("training", DataType.DOUBLE), false);
        Shape in = Shape.batch(DType.FLOAT, 8, 4);
        var args = LayerHarness.bind(new PerformerAttention(), "heads", 2, "features", 6, "redraw", 3);
        new PerformerAttention().lower(new ScopedLowering(graph, "attention", in, in), args, sd.placeHolder("x", DataType.DOUBLE, -1, 8, 4), Map.of());
        var omega = store.get("m/attention/omega");
        assertEquals(VariableRole.STATE, omega.role());
        Map<String, INDArray> weights = new java.util.HashMap<>();
        store.arrays(VariableRole.TRAINABLE).forEach((n, a) -> weights.put(n, a.dup()));
        assertEquals(java.util.Set.of("m/attention/Wqkv", "m/attention/bqkv", "m/attention/Wo", "m/attention/bo"), weights.keySet());
        INDArray before = omega.array().dup();
        store.afterStep(1);
        store.afterStep(2);
        assertEquals(before, omega.array(), "redrawn before step 3");
        store.afterStep(3);
        assertTrue(!before.equals(omega.array()), "not redrawn at step 3");
        assertEquals(PerformerAttention.orthogonalGaussian(PerformerAttention.drawSeed(
                new ScopedLowering(graph, "attention", in, in).randomSeed("omega"), 3), 6, 2), omega.array());
        assertEquals(omega.array(), sd.getVariable("m/attention/omega").getArr(), "the graph holds the store's array");
        store.afterStep(4);
        store.afterStep(6);
        assertTrue(!PerformerAttention.orthogonalGaussian(PerformerAttention.drawSeed(
                new ScopedLowering(graph, "attention", in, in).randomSeed("omega"), 3), 6, 2).equals(omega.array()));
        store.arrays(VariableRole.TRAINABLE).forEach((n, a) -> assertEquals(weights.get(n), a, n + " changed"));
    }

    @Test
    void chunkIsTheLargestDivisorUpToTheLimit() {
        assertEquals(64, PerformerAttention.chunk(4096, 64));
        assertEquals(50, PerformerAttention.chunk(1000, 64));
        assertEquals(1, PerformerAttention.chunk(13, 8));
        assertEquals(13, PerformerAttention.chunk(13, 64));
    }

    @Test
    void orthogonalRowsWithinBlocks() {
        double[][] w = Plain.matrix(PerformerAttention.orthogonalGaussian(9, 10, 4));
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                double dot = 0;
                for (int e = 0; e < 4; e++) dot += w[i][e] * w[j][e];
                assertEquals(0, dot, 1e-10);
            }
        }
        assertEquals(Plain.flat(PerformerAttention.orthogonalGaussian(9, 10, 4)).length, 40);
    }

    // ---- references ----

    /** The performer's mixing of these inputs in DOUBLE: bidirectional, or causal in chunks of {@code chunk}. */
    private static INDArray linearAttention(Inputs in, INDArray omega, Kernel kernel, boolean causal, int chunk) {
        return linearAttention(in, omega, kernel, causal, chunk, 1.0);
    }

    private static INDArray linearAttention(Inputs in, INDArray omega, Kernel kernel, boolean causal, int chunk, double gamma) {
        SameDiff sd = SameDiff.create();
        long t = in.q().size(1), dh = in.q().size(2), m = omega.size(0);
        SDVariable[] phi = PerformerAttention.features(sd, sd.constant("q", in.q()), sd.constant("k", in.k()), t,
                sd.constant("omega", omega), kernel);
        SDVariable v = sd.constant("v", in.v());
        SDVariable out = causal ? PerformerAttention.causal(sd, "tril", phi[0], phi[1], v, t, m, dh, chunk, gamma)
                : PerformerAttention.bidirectional(sd, phi[0], phi[1], v);
        return out.eval();
    }

    private static INDArray[] featureValues(Inputs in, INDArray omega, Kernel kernel) {
        SameDiff sd = SameDiff.create();
        SDVariable[] phi = PerformerAttention.features(sd, sd.constant("q", in.q()), sd.constant("k", in.k()),
                in.q().size(1), sd.constant("omega", omega), kernel);
        return new INDArray[] {phi[0].eval(), phi[1].eval()};
    }

    private static double[] maskedLinear(INDArray fq, INDArray fk, INDArray v) { return maskedLinear(fq, fk, v, 1.0); }

    /** out_i = Σ_{j≤i} γ^{i−j}(φq_i·φk_j) v_j / Σ_{j≤i} γ^{i−j} φq_i·φk_j, the quadratic form with the Toeplitz mask. */
    private static double[] maskedLinear(INDArray fq, INDArray fk, INDArray v, double gamma) {
        int n = (int) fq.size(0), t = (int) fq.size(1), dh = (int) v.size(2);
        double[] out = new double[n * t * dh];
        for (int b = 0; b < n; b++) {
            double[][] q = slice(fq, b), k = slice(fk, b), vs = slice(v, b);
            for (int i = 0; i < t; i++) {
                double den = 0;
                double[] num = new double[dh];
                for (int j = 0; j <= i; j++) {
                    double a = Math.pow(gamma, i - j) * dot(q[i], k[j]);
                    den += a;
                    for (int e = 0; e < dh; e++) num[e] += a * vs[j][e];
                }
                for (int e = 0; e < dh; e++) out[(b * t + i) * dh + e] = num[e] / den;
            }
        }
        return out;
    }

    /** softmax(q·kᵀ/√dh)·v per batch row. */
    private static double[] exactAttention(Inputs in, boolean causal) {
        int n = (int) in.q().size(0), t = (int) in.q().size(1), dh = (int) in.q().size(2);
        double[] out = new double[n * t * dh];
        for (int b = 0; b < n; b++) {
            double[][] q = slice(in.q(), b), k = slice(in.k(), b), v = slice(in.v(), b);
            for (int i = 0; i < t; i++) {
                int visible = causal ? i + 1 : t;
                double[] p = new double[visible];
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < visible; j++) max = Math.max(max, p[j] = dot(q[i], k[j]) / Math.sqrt(dh));
                for (int j = 0; j < visible; j++) sum += p[j] = Math.exp(p[j] - max);
                for (int j = 0; j < visible; j++) for (int e = 0; e < dh; e++) out[(b * t + i) * dh + e] += p[j] / sum * v[j][e];
            }
        }
        return out;
    }

    /** ‖approx − exact‖ / ‖exact‖. */
    private static double relativeError(double[] exact, INDArray approx) {
        double[] a = Plain.flat(approx);
        double num = 0, den = 0;
        for (int i = 0; i < exact.length; i++) {
            num += (a[i] - exact[i]) * (a[i] - exact[i]);
            den += exact[i] * exact[i];
        }
        return Math.sqrt(num / den);
    }

    private static double[][] slice(INDArray a, int b) {
        return Plain.matrix(a.get(NDArrayIndex.point(b), NDArrayIndex.all(), NDArrayIndex.all()));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static INDArray gaussian(SplittableRandom rng, double std, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian() * std;
        return Nd4j.createFromArray(v).reshape(shape);
    }
}
