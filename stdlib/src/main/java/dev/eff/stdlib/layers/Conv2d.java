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
import dev.eff.dsl.check.DType;
import dev.eff.stdlib.Init;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * 2-D convolution on NCHW images: y[f, i, j] = act(b[f] + Σ_c,u,v W[u, v, c, f] · x[c, s·i + u - p, s·j + v - p]),
 * kernel k×k, stride s; "same" pads with zeros to ⌈H/s⌉ outputs (the extra row or column at the bottom or
 * right, as TensorFlow does), "valid" does not pad (⌊(H-k)/s⌋ + 1 outputs).
 */
@AutoService(Component.class)
public final class Conv2d implements Layer {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "conv2d", null,
            "2-D convolution over images [B, C, H, W] (channels first).",
            List.of(Param.required("filters", Type.positive(), "number of output channels"),
                    Param.of("kernel", Type.positive(), 3, "kernel height and width"),
                    Param.of("stride", Type.positive(), 1, "step between kernel positions"),
                    Param.choice("padding", "same: zero-pad so the output is ceil(H / stride) high; valid: no padding",
                            "same", "valid"),
                    Param.choice("activation", "nonlinearity applied to the result", ActivationFn.words(true))));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloatRank(input, 4, "[B, C, H, W]",
                "conv2d takes channels-first images; give a grayscale image a channel axis of size 1");
        long k = args.integer("kernel");
        boolean same = args.symbol("padding").equals("same");
        if (!same && (input.size(2) < k || input.size(3) < k)) {
            throw new ShapeException("a " + k + "×" + k + " kernel does not fit in a " + input.size(2) + "×"
                    + input.size(3) + " image without padding", "use padding = same or a smaller kernel");
        }
        long s = args.integer("stride");
        return Shape.batch(DType.FLOAT, args.integer("filters"), outSize(input.size(2), k, s, same),
                outSize(input.size(3), k, s, same));
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long k = args.integer("kernel"), c = input.size(1), f = args.integer("filters");
        long positions = Exact.times(output.size(2), output.size(3));
        long act = ActivationFn.of(args.symbol("activation")).flopsPerElement;
        return Cost.of(Exact.plus(Exact.times(k, k, c, f), f),
                Exact.times(positions, f, Exact.plus(Exact.times(2, k, k, c), 1, act)));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        long[] example = Shapes.example(ctx.inputShape());
        long k = args.integer("kernel"), s = args.integer("stride"), c = example[0], f = args.integer("filters");
        SDVariable weights = ctx.param("W", new long[] {k, k, c, f}, Init.glorot(c * k * k, f * k * k));
        SDVariable bias = ctx.param("b", new long[] {f}, Init.ZEROS);
        Conv2DConfig config = Conv2DConfig.builder().kH(k).kW(k).sH(s).sW(s)
                .paddingMode(args.symbol("padding").equals("same") ? PaddingMode.SAME : PaddingMode.VALID).build();
        SDVariable y = ctx.sd().cnn.conv2d(input, weights, bias, config);
        return ActivationFn.of(args.symbol("activation")).apply(ctx.sd(), y);
    }

    static long outSize(long in, long kernel, long stride, boolean same) {
        return same ? Exact.plus(in, stride - 1) / stride : (in - kernel) / stride + 1;
    }
}
