package dev.eff.dsl.check;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A static tensor shape. By convention dimension 0 is the batch, the symbol {@code B}; every other
 * dimension is known once a model is bound to its data.
 */
public record Shape(DType dtype, List<Dim> dims) {

    public Shape {
        dims = List.copyOf(dims);
    }

    /** A batch of examples of the given per-example sizes: {@code [B, sizes...]}. */
    public static Shape batch(DType dtype, long... sizes) {
        List<Dim> ds = new ArrayList<>();
        ds.add(Dim.BATCH);
        for (long s : sizes) ds.add(Dim.of(s));
        return new Shape(dtype, ds);
    }

    public int rank() { return dims.size(); }

    /** Dimension {@code i}; negative counts from the end. */
    public Dim dim(int i) { return dims.get(i < 0 ? dims.size() + i : i); }

    /** The size of dimension {@code i}; the rule calling this needs it known. */
    public long size(int i) throws ShapeException {
        Dim d = dim(i);
        if (d instanceof Dim.Fixed f) return f.size();
        throw new ShapeException("dimension " + i + " of " + this + " is not known");
    }

    public long last() throws ShapeException { return size(-1); }

    /** Per-example sizes: every dimension after the batch, all known. */
    public long[] example() throws ShapeException {
        long[] out = new long[rank() - 1];
        for (int i = 1; i < rank(); i++) out[i - 1] = size(i);
        return out;
    }

    /** Elements per example (product of the non-batch dimensions); an {@link ArithmeticException} when it overflows. */
    public long exampleElements() throws ShapeException {
        return Exact.times(example());
    }

    public Shape withDim(int i, Dim d) {
        List<Dim> ds = new ArrayList<>(dims);
        ds.set(i < 0 ? ds.size() + i : i, d);
        return new Shape(dtype, ds);
    }

    public Shape withLast(long size) { return withDim(-1, Dim.of(size)); }

    public Shape withType(DType t) { return new Shape(t, dims); }

    /** Same dimensions and element type. */
    public boolean sameAs(Shape other) { return dtype == other.dtype && dims.equals(other.dims); }

    /** {@code [B, 128, 64]}. */
    @Override public String toString() {
        return dims.stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** {@code float[B, 128, 64]}. */
    public String describe() { return dtype.word() + this; }
}
