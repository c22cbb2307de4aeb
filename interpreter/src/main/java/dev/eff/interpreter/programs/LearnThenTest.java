package dev.eff.interpreter.programs;

/**
 * Learn-then-Test (Angelopoulos, Bates, Candès, Jordan, Lei 2021), as CALM calibrates its threshold: for candidate
 * thresholds λ_1 > λ_2 > … (from the safest down), test H_j: R(λ_j) > δ, where R is the expected loss (here the
 * textual inconsistency with the full model, in [0, 1]), with the Hoeffding–Bentkus p-value of the empirical risk
 * R̂_j over n i.i.d. calibration examples:
 * p_j = min( exp(−n·h(min(R̂_j, δ), δ)), e·P[Binomial(n, δ) ≤ ⌈n·R̂_j⌉] ), h(a, b) = a·ln(a/b) + (1−a)·ln((1−a)/(1−b)).
 * Fixed-sequence testing rejects H_1, H_2, … while p_j ≤ ε and stops at the first it cannot reject; every rejected
 * λ then has R(λ) ≤ δ with probability at least 1 − ε (family-wise), and the last rejected one is chosen.
 */
public final class LearnThenTest {
    private LearnThenTest() {}

    /** The Hoeffding–Bentkus p-value of H: R > delta, for empirical risk {@code risk} over {@code n} examples. */
    public static double pValue(double risk, int n, double delta) {
        double a = Math.min(risk, delta);
        double hoeffding = Math.exp(-n * h(a, delta));
        double bentkus = Math.E * binomialCdf((int) Math.ceil(n * risk - 1e-12), n, delta);
        return Math.min(1, Math.min(hoeffding, bentkus));
    }

    /** h(a, b) = a·ln(a/b) + (1−a)·ln((1−a)/(1−b)), with 0·ln 0 = 0. */
    static double h(double a, double b) {
        double first = a == 0 ? 0 : a * Math.log(a / b);
        double second = a == 1 ? 0 : (1 - a) * Math.log((1 - a) / (1 - b));
        return first + second;
    }

    /** P[Binomial(n, p) ≤ k], summed in log space (n may be in the thousands). */
    static double binomialCdf(int k, int n, double p) {
        if (k < 0) return 0;
        if (k >= n) return 1;
        double total = 0, logChoose = 0;
        for (int i = 0; i <= k; i++) {
            if (i > 0) logChoose += Math.log(n - i + 1) - Math.log(i);
            total += Math.exp(logChoose + i * Math.log(p) + (n - i) * Math.log1p(-p));
        }
        return Math.min(1, total);
    }

    /**
     * The fewest examples with which any threshold can be certified: even a risk of 0 gives p = (1 − δ)^n, which must
     * be at most ε.
     */
    public static int minimumExamples(double delta, double epsilon) {
        return (int) Math.ceil(Math.log(epsilon) / Math.log1p(-delta) - 1e-9);
    }

    /** The outcome: the index of the chosen threshold (-1: none certified) and every tested one's p-value. */
    public record Choice(int chosen, double[] pValues) {}

    /**
     * Fixed-sequence testing over {@code risks} (empirical risks of the thresholds in testing order, safest first),
     * stopping at the first p-value above epsilon; thresholds after it are never tested (their p-value is NaN).
     */
    public static Choice choose(double[] risks, int n, double delta, double epsilon) {
        double[] p = new double[risks.length];
        java.util.Arrays.fill(p, Double.NaN);
        int chosen = -1;
        for (int j = 0; j < risks.length; j++) {
            p[j] = pValue(risks[j], n, delta);
            if (p[j] > epsilon) break;
            chosen = j;
        }
        return new Choice(chosen, p);
    }
}
