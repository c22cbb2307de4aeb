package dev.eff.stdlib.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Plain-Java building blocks for reference computations in tests: conversions between INDArray and
 * double[] and loop-based math that shares no code with the components under test.
 */
public final class Plain {

    private Plain() {}

    /** Uniform values in [-1, 1) of this shape, DOUBLE. */
    public static INDArray random(SplittableRandom rng, long... shape) {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble(-1, 1);
        return Nd4j.createFromArray(v).reshape(shape);
    }

    public static INDArray random(long seed, long... shape) { return random(new SplittableRandom(seed), shape); }

    /** Integers in [0, bound) of this shape, INT. */
    public static INDArray ints(long seed, int bound, long... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        int[] v = new int[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextInt(bound);
        return Nd4j.createFromArray(v).reshape(shape);
    }

    /** The elements in row-major order, as doubles. */
    public static double[] flat(INDArray a) { return a.dup('c').castTo(DataType.DOUBLE).data().asDouble(); }

    public static double[][] matrix(INDArray a) {
        if (a.rank() != 2) throw new IllegalArgumentException("not a matrix: " + Arrays.toString(a.shape()));
        double[] f = flat(a);
        int rows = (int) a.size(0), cols = (int) a.size(1);
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) System.arraycopy(f, i * cols, m[i], 0, cols);
        return m;
    }

    public static double[][] matmul(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++)
            for (int j = 0; j < b[0].length; j++) {
                double s = 0;
                for (int k = 0; k < b.length; k++) s += a[i][k] * b[k][j];
                c[i][j] = s;
            }
        return c;
    }

    /** x·W + b on the rows of x. */
    public static double[][] affine(double[][] x, double[][] w, double[] b) {
        double[][] y = matmul(x, w);
        if (b != null) for (double[] row : y) for (int j = 0; j < row.length; j++) row[j] += b[j];
        return y;
    }

    public static double[] row(double[] flat, int index, int width) {
        return Arrays.copyOfRange(flat, index * width, (index + 1) * width);
    }

    /** erf(x) = 2/√π·e^(-x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)): every term positive, so no cancellation. */
    public static double erf(double x) {
        double sum = 0, term = x;
        for (int n = 0; Math.abs(term) > 1e-17 * Math.abs(sum) || n < 3; n++) {
            sum += term;
            term *= 2 * x * x / (2 * n + 3);
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }

    public static double gelu(double x) { return 0.5 * x * (1 + erf(x / Math.sqrt(2))); }

    public static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** The activation a script names with {@code word}, from its textbook definition. */
    public static double activation(String word, double x) {
        return switch (word) {
            case "none" -> x;
            case "relu" -> Math.max(0, x);
            case "gelu" -> gelu(x);
            case "tanh" -> Math.tanh(x);
            case "sigmoid" -> sigmoid(x);
            case "silu" -> x * sigmoid(x);
            default -> throw new IllegalArgumentException("no reference for activation " + word);
        };
    }

    /** Element-wise |expected - actual| ≤ tol·max(1, |expected|), with the first mismatch in the message. */
    public static void assertClose(double[] expected, INDArray actual, double tol) {
        double[] got = flat(actual);
        assertArrayEquals(new long[] {expected.length}, new long[] {got.length}, "element count");
        for (int i = 0; i < got.length; i++) {
            double e = expected[i];
            assertTrue(Math.abs(e - got[i]) <= tol * Math.max(1, Math.abs(e)),
                    "element " + i + ": expected " + e + ", got " + got[i]);
        }
    }

    public static double[] concat(double[][] rows) {
        return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
    }
}
