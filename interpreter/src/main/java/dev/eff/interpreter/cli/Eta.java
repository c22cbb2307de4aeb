package dev.eff.interpreter.cli;

/**
 * Time remaining from the pace of the last {@value #WINDOW} steps. The first steps of a run are slow (JIT,
 * native allocations, caches filling), so an average since the start overestimates for minutes; a window forgets
 * them as soon as the run settles.
 */
final class Eta {
    static final int WINDOW = 20;
    private final long[] steps = new long[WINDOW + 1];
    private final double[] times = new double[WINDOW + 1];
    private int count;

    /** After {@code step} (1-based), {@code seconds} since the run started. */
    void observe(long step, double seconds) {
        steps[count % steps.length] = step;
        times[count % times.length] = seconds;
        count++;
    }

    /** Seconds left until {@code total}, or NaN before two steps have been seen. */
    double remaining(long total) {
        if (count < 2) return Double.NaN;
        int newest = (count - 1) % steps.length, oldest = count > steps.length ? count % steps.length : 0;
        long did = steps[newest] - steps[oldest];
        if (did <= 0) return Double.NaN;
        return (times[newest] - times[oldest]) / did * (total - steps[newest]);
    }
}
