package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.PositionWise;
import dev.eff.stdlib.Lowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The classifier head: unnormalised class scores z = x·W + b on the last axis, W [in, classes]. The loss
 * applies the softmax, so none is applied here.
 */
@AutoService(Component.class)
public final class Logits implements PositionWise {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "logits", null,
            "Classifier head: one unnormalised score per class, x·W + b (the loss applies the softmax).",
            List.of(Param.required("classes", Type.atLeast(2), "number of classes (the vocabulary size for a language model)")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloat(input, 2);
        return Projection.output(input, args.integer("classes"));
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long in = input.last(), classes = args.integer("classes");
        return Cost.of(Projection.params(in, classes, true), Projection.flops(Shapes.rowsPerExample(input), in, classes, true));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        return Projection.lastAxis(ctx, input, args.integer("classes"), true, ActivationFn.NONE);
    }
}
