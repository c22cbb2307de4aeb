package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Exact;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.SideOutput;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.dsl.check.Value;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.PositionWise;
import dev.eff.stdlib.Lowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.transforms.custom.TopK;

/**
 * The transformer feed-forward block on the last axis: y = act(x·W1 + b1)·W2 + b2 with W1 [d, hidden],
 * or for swiglu y = (silu(x·W + b) ⊙ (x·V + c))·W2 + b2, where W and V are one fused [d, 2·hidden] matrix.
 */
@AutoService(Component.class)
public final class Mlp implements PositionWise {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "mlp", null,
            "Two-layer feed-forward block on the last axis (the transformer FFN), with biases: "
                    + "act(x·W1 + b1)·W2 + b2.",
            List.of(Param.required("hidden", Type.positive(), "width of the hidden layer"),
                    Param.of("activation", new Type.Component(Kind.OPTION), MlpActivation.DEFAULT,
                            "gelu or relu between the layers, swiglu: silu(x·W) ⊙ (x·V), or topK(k = ...): the k largest "
                            + "ReLU activations per token"),
                    Param.of("out", Type.atLeast(0), 0, "output width; 0 keeps the input width")));

    /** |a| above this counts as non-zero for the smooth activations (GELU, SwiGLU), which are exactly 0 almost nowhere. */
    static final double NONZERO_THRESHOLD = 1e-3;

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public List<SideOutput> sideOutputs(Args args) {
        return List.of(SideOutput.probe("nonzero", "fraction of non-zero hidden activations (a > 0 for relu and topK, "
                + "|a| > " + NONZERO_THRESHOLD + " for gelu and swiglu), over every token and unit of the batch"));
    }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloat(input, 2);
        long hidden = args.integer("hidden");
        Value.Call act = args.call("activation");
        if (act.name().equals("topK") && act.asArgs().integer("k") > hidden) {
            throw new ShapeException("topK keeps k = " + act.asArgs().integer("k") + " activations but hidden = " + hidden
                    + " has fewer", "use k ≤ " + hidden);
        }
        return Projection.output(input, outWidth(args, input.last()));
    }

    /** The hidden layer before and after its activation ([rows, hidden], twice that wide for swiglu's fused gate). */
    @Override
    public long intermediateElements(Args args, Shape input, Shape output) throws ShapeException {
        long hidden = args.integer("hidden"), rows = Shapes.rowsPerExample(input);
        return Math.multiplyExact(Math.multiplyExact(rows, hidden), args.call("activation").name().equals("swiglu") ? 3 : 2);
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long d = input.last(), hidden = args.integer("hidden"), out = outWidth(args, d), rows = Shapes.rowsPerExample(input);
        String act = args.call("activation").name();
        boolean swiglu = act.equals("swiglu");
        long first = swiglu ? Exact.times(2, hidden) : hidden;
        long perElement = switch (act) {
            case "swiglu" -> ActivationFn.SILU.flopsPerElement + 1;
            // the ReLU, the comparison with the k-th largest and the mask product (the selection itself is not counted)
            case "topK" -> ActivationFn.RELU.flopsPerElement + 2;
            default -> ActivationFn.of(act).flopsPerElement;
        };
        return Cost.of(Exact.plus(Projection.params(d, first, true), Projection.params(hidden, out, true)),
                Exact.plus(Projection.flops(rows, d, first, true), Exact.times(rows, hidden, perElement),
                        Projection.flops(rows, hidden, out, true)));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        SameDiff sd = ctx.sd();
        long[] example = Shapes.example(ctx.inputShape());
        long d = example[example.length - 1], hidden = args.integer("hidden"), out = outWidth(args, d);
        SDVariable rows = Projection.toRows(input, example);
        Value.Call act = args.call("activation");
        SDVariable h;
        SDVariable nonzero;
        switch (act.name()) {
            case "swiglu" -> {
                SDVariable[] gateAndValue = sd.split(Projection.rows(ctx, rows, d, 2 * hidden, true, "W1", "b1"), 2, 1);
                h = sd.nn.swish(gateAndValue[0]).mul(gateAndValue[1]);
                nonzero = sd.math.abs(h).gt(NONZERO_THRESHOLD);
            }
            case "topK" -> {
                h = topK(sd, Projection.rows(ctx, rows, d, hidden, true, "W1", "b1"), (int) act.asArgs().integer("k"));
                nonzero = h.gt(0);
            }
            default -> {
                ActivationFn fn = ActivationFn.of(act.name());
                h = fn.apply(sd, Projection.rows(ctx, rows, d, hidden, true, "W1", "b1"));
                nonzero = fn == ActivationFn.RELU ? h.gt(0) : sd.math.abs(h).gt(NONZERO_THRESHOLD);
            }
        }
        ctx.probe("nonzero", sd.mean(ctx.name("nonzero"), nonzero.castTo(ctx.dtype())));
        long[] outExample = example.clone();
        outExample[outExample.length - 1] = out;
        return Projection.fromRows(Projection.rows(ctx, h, hidden, out, true, "W2", "b2"), outExample);
    }

    /**
     * ReLU(z) on the k largest entries of each row of z [N, hidden], 0 elsewhere. The k-th largest value (the
     * least of the top k) is only compared with z: M2.1's TopK has no gradient, and the comparison (a boolean)
     * ends the gradient path there, so gradients flow through z ⊙ mask to the kept entries only. A
     * threshold mask costs N·hidden where a one-hot of the indices would cost N·k·hidden. Continuous
     * pre-activations have no ties, so exactly k entries are kept.
     */
    static SDVariable topK(SameDiff sd, SDVariable z, int k) {
        SDVariable kth = sd.min(topKValues(sd, z, k), true, 1);
        return sd.nn.relu(z, 0).mul(z.gte(kth).castTo(z.dataType()));
    }

    /**
     * The k largest values of each row, [N, k]. M2.1's TopK constructors pass their integer arguments as
     * (sorted, k) while libnd4j reads (k, sorted), so {@code sd.nn.topK(x, 3, true)} returns the top 1 (and with
     * sorted = false fails validation); the arguments are set here in libnd4j's order.
     */
    static SDVariable topKValues(SameDiff sd, SDVariable z, int k) {
        return new TopK(sd, z, k, true) {
            {
                iArguments.clear();
                iArguments.add((long) k);
                iArguments.add(1L);
            }
        }.outputVariables()[0];
    }

    private static long outWidth(Args args, long inputWidth) {
        long out = args.integer("out");
        return out == 0 ? inputWidth : out;
    }
}
