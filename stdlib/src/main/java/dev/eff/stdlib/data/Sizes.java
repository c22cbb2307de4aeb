package dev.eff.stdlib.data;

import dev.eff.dsl.check.ShapeException;
import java.util.Locale;

/**
 * The sizes a data source can hold, checked from its arguments alone: every split lives in Java arrays, and a
 * Java array holds at most {@link #MAX_ARRAY} elements.
 */
final class Sizes {

    /** The longest array the JVM allocates (a few header words below {@code Integer.MAX_VALUE}). */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Sizes() {}

    /** {@code name = value} must be at most {@code limit}, because {@code why}. */
    static void atMost(String name, long value, long limit, String why) throws ShapeException {
        if (value > limit) {
            throw new ShapeException(name + " = " + count(value) + " is too large: " + why + " (at most " + count(limit) + ")",
                    "use " + name + " ≤ " + count(limit));
        }
    }

    /** {@code examples × width} values of one split must fit one Java array. */
    static void fitsArray(String examplesName, long examples, String widthName, long width, String what) throws ShapeException {
        long total = saturatingProduct(examples, width);
        if (total > MAX_ARRAY) {
            throw new ShapeException(examplesName + " = " + count(examples) + " × " + widthName + " = " + count(width) + " makes "
                    + (total == Long.MAX_VALUE ? "more than 9.2e18" : count(total)) + " " + what
                    + ", more than one Java array holds (" + count(MAX_ARRAY) + ")",
                    "use fewer " + examplesName + " or a smaller " + widthName);
        }
    }

    static long saturatingProduct(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }
}
