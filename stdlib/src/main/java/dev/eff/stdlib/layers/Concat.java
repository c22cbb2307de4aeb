package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Exact;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.Lowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import dev.eff.dsl.check.Dim;

/**
 * Joins the input and another value of the model along one axis: sizes on that axis add up, every other
 * dimension and the element type must agree. The batch axis cannot be joined.
 */
@AutoService(Component.class)
public final class Concat implements Layer {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "concat", null,
            "Concatenate with another model value along one axis.",
            List.of(Shapes.otherParam("appended after the input"),
                    Param.of("axis", Type.integer(), -1, "axis to join along; negative counts from the end, 0 (batch) is not allowed")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shape other = Shapes.other(refs);
        int axis = axis(args, input);
        boolean compatible = input.dtype() == other.dtype() && input.rank() == other.rank();
        for (int i = 0; compatible && i < input.rank(); i++) {
            compatible = i == axis || input.dim(i).equals(other.dim(i));
        }
        if (!compatible) {
            throw new ShapeException("cannot join along axis " + args.integer("axis") + ": every other dimension must match, got "
                    + input.describe() + " and " + other.describe() + " (other)",
                    "project the values to a common width with linear(units), or choose another axis");
        }
        return input.withDim(axis, Dim.of(Exact.plus(input.size(axis), other.size(axis))));
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) { return Cost.FREE; }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        try {
            return ctx.sd().concat(axis(args, ctx.inputShape()), input, refs.get("other"));
        } catch (ShapeException e) {
            throw new IllegalStateException("lowering an axis the checker did not accept", e);
        }
    }

    /** The axis as a non-negative index, rejecting the batch axis and axes out of range. */
    private static int axis(Args args, Shape input) throws ShapeException {
        long written = args.integer("axis");
        long axis = written < 0 ? input.rank() + written : written;
        if (axis < 1 || axis >= input.rank()) {
            throw new ShapeException("axis " + written + " is not a feature axis of " + input.describe(),
                    "use an axis from 1 to " + (input.rank() - 1) + " (or -1 for the last); axis 0 is the batch");
        }
        return (int) axis;
    }
}
