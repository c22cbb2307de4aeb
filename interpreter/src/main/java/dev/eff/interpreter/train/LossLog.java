package dev.eff.interpreter.train;

import java.util.Arrays;

/**
 * The losses of a run, one per step, grown as the run goes (nothing is allocated for steps not yet taken).
 * Past {@link #CAPACITY} entries it keeps every second one and doubles its stride, so a very long run holds
 * at most that many evenly spaced losses: {@link #every()} says how many steps apart they are.
 */
final class LossLog {
    static final int CAPACITY = 1 << 20;
    private double[] values = new double[64];
    private int size;
    private long every = 1, steps;
    private double last = Double.NaN;

    void add(double loss) {
        last = loss;
        if (steps++ % every != 0) return;
        if (size == CAPACITY) {
            for (int i = 0; i < size / 2; i++) values[i] = values[2 * i];
            size /= 2;
            every *= 2;
            if ((steps - 1) % every != 0) return;
        }
        if (size == values.length) values = Arrays.copyOf(values, Math.min(CAPACITY, 2 * size));
        values[size++] = loss;
    }

    double[] values() { return Arrays.copyOf(values, size); }

    long every() { return every; }

    long steps() { return steps; }

    double last() { return last; }
}
