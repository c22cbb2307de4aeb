package dev.eff.interpreter.programs;

import java.util.SplittableRandom;

/**
 * Picks the next token from logits: the most likely one when {@code temperature} is 0 (greedy), else a draw from
 * softmax(logits / temperature) restricted to the {@code topK} most likely tokens (all when 0), from a generator
 * seeded with {@code seed}, so one seed gives one text.
 */
public final class Sampler {
    private final double temperature;
    private final int topK;
    private final SplittableRandom random;

    public Sampler(double temperature, int topK, long seed) {
        if (temperature < 0) throw new IllegalArgumentException("temperature must not be negative");
        this.temperature = temperature;
        this.topK = topK;
        this.random = new SplittableRandom(seed);
    }

    public int next(double[] logits) {
        if (temperature == 0) return argmax(logits);
        double threshold = Double.NEGATIVE_INFINITY;
        if (topK > 0 && topK < logits.length) {
            double[] sorted = logits.clone();
            java.util.Arrays.sort(sorted);
            threshold = sorted[sorted.length - topK];
        }
        double max = logits[argmax(logits)];
        double[] weights = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            weights[i] = logits[i] >= threshold ? Math.exp((logits[i] - max) / temperature) : 0;
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        int last = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == 0) continue;
            last = i;
            u -= weights[i];
            if (u < 0) return i;
        }
        return last;
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
