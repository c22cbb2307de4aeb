package dev.eff.dsl.check;

/**
 * Overflow-checked size arithmetic for shape rules and cost models: a script can declare dimensions near
 * 2^63, and a wrapped product would become a negative or zero size. The checker turns the
 * {@link ArithmeticException} into a diagnostic at the call.
 */
public final class Exact {
    private Exact() {}

    public static long times(long... factors) {
        long p = 1;
        for (long f : factors) p = Math.multiplyExact(p, f);
        return p;
    }

    public static long plus(long... terms) {
        long s = 0;
        for (long t : terms) s = Math.addExact(s, t);
        return s;
    }
}
