package dev.eff.stdlib.layers;

/**
 * CALM's early-exit classifier ({@code measure = classifier}; t5x's {@code meta} confidence): at exit i of L, a linear
 * layer on the state the output head reads there (after the final norm), c_i = σ(w_i·h + b_i), estimates the probability
 * that the exit's greedy token equals the last layer's. It is trained in a second stage, with the language model frozen,
 * on the labels z_i = 1[argmax p_i = argmax p_L] over the training positions. Consistent positions are the common case
 * at deep exits and the rare one at shallow exits, so each exit's binary cross-entropy is class-balanced as t5x's
 * {@code loss_fn_meta_cls} balances it: with pos the fraction of positive labels among the N positions, positives weigh
 * 1 − pos and negatives pos, and
 * loss_i = (1/N) Σ_n c_n·(softplus(s_n) − z_n·s_n), s_n = w_i·h_n + b_i (the BCE of σ(s_n), computed stably);
 * the loss is the uniform average over the exits 1 … L − 1 (the last exit always exits and has no classifier).
 * One logit per exit is t5x's two-way softmax with one degree of freedom removed: softmax(a, b)[1] = σ(b − a).
 */
public final class ExitClassifier {
    private ExitClassifier() {}

    /** The classifier's confidence σ(w·h + b) that this exit already agrees with the last layer. */
    public static double confidence(double[] h, double[] w, double b) {
        return sigmoid(score(h, w, b));
    }

    /** The consistency labels of one exit: 1 where its greedy token equals the last layer's. */
    public static boolean[] labels(int[] exitTokens, int[] lastTokens) {
        boolean[] z = new boolean[exitTokens.length];
        for (int n = 0; n < z.length; n++) z[n] = exitTokens[n] == lastTokens[n];
        return z;
    }

    /** The loss and its gradient with respect to every exit's w (E × D) and b (E). */
    public record Loss(double value, double[][] dw, double[] db) {}

    /**
     * The class-balanced loss over exits 1 … E (E = L − 1): {@code h[i][n]} the state of position n at exit i,
     * {@code z[i][n]} its label, {@code w[i]} and {@code b[i]} exit i's classifier.
     */
    public static Loss loss(double[][][] h, boolean[][] z, double[][] w, double[] b) {
        int exits = w.length;
        double total = 0;
        double[][] dw = new double[exits][];
        double[] db = new double[exits];
        for (int i = 0; i < exits; i++) {
            int n = z[i].length, positives = 0;
            for (boolean label : z[i]) if (label) positives++;
            double pos = positives / (double) n;
            dw[i] = new double[w[i].length];
            for (int k = 0; k < n; k++) {
                double s = score(h[i][k], w[i], b[i]), y = z[i][k] ? 1 : 0;
                double weight = (z[i][k] ? 1 - pos : pos) / (n * (double) exits);
                total += weight * (softplus(s) - y * s);
                double g = weight * (sigmoid(s) - y);
                for (int d = 0; d < dw[i].length; d++) dw[i][d] += g * h[i][k][d];
                db[i] += g;
            }
        }
        return new Loss(total, dw, db);
    }

    static double score(double[] h, double[] w, double b) {
        double s = b;
        for (int d = 0; d < h.length; d++) s += w[d] * h[d];
        return s;
    }

    static double sigmoid(double s) {
        return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
    }

    /** ln(1 + e^s) without overflow. */
    static double softplus(double s) {
        return Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s)));
    }
}
