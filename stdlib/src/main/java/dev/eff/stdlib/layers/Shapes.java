package dev.eff.stdlib.layers;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Type;
import java.util.Map;

/** The input checks the layer shape rules share, so every layer words the same mistake the same way. */
final class Shapes {

    private Shapes() {}

    /** A float input of at least {@code minRank} dimensions (batch included). */
    static void requireFloat(Shape input, int minRank) throws ShapeException {
        if (input.dtype() != DType.FLOAT) {
            throw new ShapeException("expects float values, got " + input.describe(),
                    "token ids are ints: turn them into vectors with embed(vocab, dim) first");
        }
        if (input.rank() < minRank) {
            throw new ShapeException("expects at least " + minRank + " dimensions [B, ...], got " + input.describe(),
                    "the batch dimension B counts; reshape the data or the model so features have their own axis");
        }
    }

    /** A float input of exactly this rank; {@code layout} names the dimensions for the message, e.g. {@code [B, T, d]}. */
    static void requireFloatRank(Shape input, int rank, String layout, String hint) throws ShapeException {
        requireFloat(input, 1);
        if (input.rank() != rank) {
            throw new ShapeException("expects float" + layout + ", got " + input.describe(), hint);
        }
    }

    /** Rows of the last axis per example: the product of every dimension between the batch and the last. */
    static long rowsPerExample(Shape input) throws ShapeException {
        return input.exampleElements() / input.last();
    }

    /**
     * Per-example sizes of a shape the checker has accepted, for lowering: by then every dimension but the
     * batch is known, so an unknown one is a bug in the caller, not a user error.
     */
    static long[] example(Shape shape) {
        try {
            return shape.example();
        } catch (ShapeException e) {
            throw new IllegalStateException("lowering needs a resolved shape, got " + shape, e);
        }
    }

    /** {@code [-1, sizes...]}: a reshape target that keeps the batch dynamic. */
    static long[] batchOf(long... sizes) {
        long[] dims = new long[sizes.length + 1];
        dims[0] = -1;
        System.arraycopy(sizes, 0, dims, 1, sizes.length);
        return dims;
    }

    /** The shape of the value a two-input layer names in its {@code other} argument. */
    static Shape other(Map<String, Shape> refs) {
        Shape other = refs.get("other");
        if (other == null) throw new IllegalStateException("the checker passed no shape for 'other'");
        return other;
    }

    /** Elementwise joins need the stream and {@code other} to agree exactly. */
    static void requireSameShape(Shape input, Shape other) throws ShapeException {
        if (!input.sameAs(other)) {
            throw new ShapeException("needs both values of one shape, got " + input.describe() + " and "
                    + other.describe() + " (other)", "project one of them with linear(units) or reshape it to match");
        }
    }

    /** The {@code other} parameter of two-input layers. */
    static Param otherParam(String role) {
        return Param.required("other", new Type.Ref(), "a named value of the model, " + role);
    }
}
