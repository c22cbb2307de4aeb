package dev.eff.dsl.check;

import java.util.List;
import java.util.stream.Collectors;

/** Parameter types. Ranges are part of the type so the checker and the docs speak of them alike. */
public sealed interface Type {

    /** How the type reads in messages and the component reference. */
    String describe();

    record Int(long min, long max) implements Type {
        public String describe() {
            if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) return "int";
            if (max == Long.MAX_VALUE) return "int ≥ " + min;
            return "int in [" + min + ", " + max + "]";
        }
    }

    /** A real number in a range; ints are accepted. {@code minExclusive} makes the lower bound open. */
    record Real(double min, double max, boolean minExclusive) implements Type {
        public String describe() {
            boolean lo = min != Double.NEGATIVE_INFINITY, hi = max != Double.POSITIVE_INFINITY;
            if (!lo && !hi) return "float";
            if (lo && !hi) return "float " + (minExclusive ? "> " : "≥ ") + fmt(min);
            return "float in " + (minExclusive ? "(" : "[") + fmt(min) + ", " + fmt(max) + "]";
        }
        private static String fmt(double d) { return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d); }
    }

    record Bool() implements Type {
        public String describe() { return "bool"; }
    }

    record Str() implements Type {
        public String describe() { return "string"; }
    }

    /** One of a fixed set of bare words, e.g. {@code learned | sinusoidal | none}. */
    record Choice(List<String> options) implements Type {
        public String describe() { return String.join(" | ", options); }
    }

    record ListOf(Type element) implements Type {
        public String describe() { return "list of " + element.describe(); }
    }

    /** A nested component call of a kind, e.g. an optimizer or a routing rule. */
    record Component(Kind kind) implements Type {
        public String describe() { return kind.word() + " call"; }
    }

    /** A named tensor value of the enclosing model body. */
    record Ref() implements Type {
        public String describe() { return "model value"; }
    }

    /**
     * A model of the script, named like a statement names one ({@code cnn} or {@code cnn(width = 64)}), that an earlier
     * statement trained: a program setting such as a cascade's {@code large}. The checker binds it to the instance.
     */
    record Model() implements Type {
        public String describe() { return "trained model"; }
    }

    static Int integer() { return new Int(Long.MIN_VALUE, Long.MAX_VALUE); }
    static Int positive() { return new Int(1, Long.MAX_VALUE); }
    static Int atLeast(long min) { return new Int(min, Long.MAX_VALUE); }
    static Real real() { return new Real(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false); }
    static Real positiveReal() { return new Real(0, Double.POSITIVE_INFINITY, true); }
    static Real unit() { return new Real(0, 1, false); }
    static Choice choice(String... options) { return new Choice(List.of(options)); }

    static String list(List<String> words) {
        return words.stream().map(w -> "'" + w + "'").collect(Collectors.joining(", "));
    }
}
