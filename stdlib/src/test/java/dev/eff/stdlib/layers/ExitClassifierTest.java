package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** CALM's early-exit classifier: its labels, its class-balanced loss against the definition, its gradient. */
class ExitClassifierTest {

    @Test
    void labelsAreTheConsistencyOfAnExitsTokenWithTheLastLayers() {
        assertArrayEquals(new boolean[] {true, false, true, false}, ExitClassifier.labels(new int[] {7, 3, 0, 255}, new int[] {7, 4, 0, 254}));
    }

    /** The definition, computed another way: −Σ c·(y·ln σ(s) + (1 − y)·ln(1 − σ(s))) / N per exit, averaged over exits. */
    static double plainLoss(double[][][] h, boolean[][] z, double[][] w, double[] b) {
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            double positives = 0, negatives = 0;
            for (boolean y : z[i]) {
                if (y) positives++;
                else negatives++;
            }
            double n = positives + negatives, posWeight = 1 - positives / n, negWeight = 1 - negatives / n, exitLoss = 0;
            for (int k = 0; k < z[i].length; k++) {
                double s = b[i];
                for (int d = 0; d < w[i].length; d++) s += w[i][d] * h[i][k][d];
                double p = 1 / (1 + Math.exp(-s));
                exitLoss += z[i][k] ? -posWeight * Math.log(p) : -negWeight * Math.log(1 - p);
            }
            total += exitLoss / n;
        }
        return total / w.length;
    }

    record Problem(double[][][] h, boolean[][] z, double[][] w, double[] b) {}

    static Problem random(long seed, int exits, int n, int width) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][][] h = new double[exits][n][width];
        boolean[][] z = new boolean[exits][n];
        double[][] w = new double[exits][width];
        double[] b = new double[exits];
        for (int i = 0; i < exits; i++) {
            for (int k = 0; k < n; k++) {
                for (int d = 0; d < width; d++) h[i][k][d] = rng.nextGaussian();
                z[i][k] = rng.nextDouble() < 0.2 + 0.3 * i;   // imbalanced, differently at every exit
            }
            for (int d = 0; d < width; d++) w[i][d] = 0.5 * rng.nextGaussian();
            b[i] = rng.nextGaussian();
        }
        return new Problem(h, z, w, b);
    }

    @Test
    void theLossIsTheClassBalancedCrossEntropyAveragedOverExits() {
        Problem p = random(1, 3, 40, 5);
        assertEquals(plainLoss(p.h(), p.z(), p.w(), p.b()), ExitClassifier.loss(p.h(), p.z(), p.w(), p.b()).value(), 1e-12);
        // the two classes weigh the same in total: with 1 positive in 4, it weighs 3/4 and each negative 1/4
        boolean[][] z = {{true, false, false, false}};
        double[][][] h = {{{0}, {0}, {0}, {0}}};
        double ln2 = Math.log(2);   // every score is 0: BCE ln 2 for either label
        assertEquals((0.75 * ln2 + 3 * 0.25 * ln2) / 4, ExitClassifier.loss(h, z, new double[][] {{1}}, new double[] {0}).value(), 1e-12);
    }

    @Test
    void anExitWhoseLabelsAreAllOneClassContributesNothing() {
        // t5x's weights: 1 − (fraction of the class), so a class that is everything weighs 0
        boolean[][] z = {{true, true, true}};
        double[][][] h = {{{1, 2}, {3, -1}, {0, 1}}};
        ExitClassifier.Loss l = ExitClassifier.loss(h, z, new double[][] {{0.3, -0.2}}, new double[] {0.1});
        assertEquals(0, l.value(), 0);
        assertArrayEquals(new double[] {0, 0}, l.dw()[0], 0);
    }

    @Test
    void theGradientMatchesFiniteDifferences() {
        Problem p = random(2, 2, 30, 4);
        ExitClassifier.Loss l = ExitClassifier.loss(p.h(), p.z(), p.w(), p.b());
        double eps = 1e-6;
        for (int i = 0; i < p.w().length; i++) {
            for (int d = 0; d < p.w()[i].length; d++) {
                double keep = p.w()[i][d];
                p.w()[i][d] = keep + eps;
                double up = ExitClassifier.loss(p.h(), p.z(), p.w(), p.b()).value();
                p.w()[i][d] = keep - eps;
                double down = ExitClassifier.loss(p.h(), p.z(), p.w(), p.b()).value();
                p.w()[i][d] = keep;
                assertEquals((up - down) / (2 * eps), l.dw()[i][d], 1e-7, "dw[" + i + "][" + d + "]");
            }
            double keep = p.b()[i];
            p.b()[i] = keep + eps;
            double up = ExitClassifier.loss(p.h(), p.z(), p.w(), p.b()).value();
            p.b()[i] = keep - eps;
            double down = ExitClassifier.loss(p.h(), p.z(), p.w(), p.b()).value();
            p.b()[i] = keep;
            assertEquals((up - down) / (2 * eps), l.db()[i], 1e-7, "db[" + i + "]");
        }
    }

    @Test
    void confidenceIsTheSigmoidOfTheScoreAndSaturatesWithoutOverflow() {
        assertEquals(1 / (1 + Math.exp(-(0.5 * 2 - 1 * 1 + 0.25))), ExitClassifier.confidence(new double[] {2, 1}, new double[] {0.5, -1}, 0.25), 1e-15);
        assertEquals(0, ExitClassifier.confidence(new double[] {1}, new double[] {-1000}, 0), 1e-300);
        assertEquals(1, ExitClassifier.confidence(new double[] {1}, new double[] {1000}, 0), 0);
    }
}
