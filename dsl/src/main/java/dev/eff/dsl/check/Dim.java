package dev.eff.dsl.check;

/** One dimension of a static shape: a known size, or a symbol such as the batch {@code B}. */
public sealed interface Dim {
    record Fixed(long size) implements Dim {
        @Override public String toString() { return Long.toString(size); }
    }
    record Sym(String name) implements Dim {
        @Override public String toString() { return name; }
    }

    Dim BATCH = new Sym("B");

    static Dim of(long n) { return new Fixed(n); }
}
