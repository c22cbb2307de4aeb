package dev.eff.interpreter.train;

import java.util.Arrays;
import java.util.Random;

/**
 * Which examples each step trains on: every epoch is a fresh permutation drawn from one generator seeded
 * with the run's seed, cut into batches; the last batch of an epoch may be smaller. The same seed gives the
 * same sequence of batches.
 */
public final class BatchOrder {
    private final long examples;
    private final int batch;
    private final Random random;
    private long[] order;
    private long position;

    public BatchOrder(long examples, int batch, long seed) {
        if (examples < 1) throw new IllegalArgumentException("no examples to train on");
        this.examples = examples;
        this.batch = batch;
        this.random = new Random(seed);
    }

    /** Indices of the next batch, starting a new epoch when the current one is used up. */
    public long[] next() {
        if (order == null || position >= examples) {
            order = permutation();
            position = 0;
        }
        int n = (int) Math.min(batch, examples - position);
        long[] out = Arrays.copyOfRange(order, (int) position, (int) position + n);
        position += n;
        return out;
    }

    /** Moves past the next {@code batches} batches, exactly as {@link #next()} would (for resuming a run). */
    public void skip(long batches) {
        for (long i = 0; i < batches; i++) next();
    }

    private long[] permutation() {
        long[] p = new long[Math.toIntExact(examples)];
        for (int i = 0; i < p.length; i++) p[i] = i;
        for (int i = p.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
