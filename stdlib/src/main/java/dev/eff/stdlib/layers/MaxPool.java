package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Exact;
import dev.eff.dsl.check.Dim;
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
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/**
 * 2-D max pooling on NCHW images: y[c, i, j] = max over the size×size window at (stride·i, stride·j),
 * no padding, so ⌊(H - size)/stride⌋ + 1 outputs per axis.
 */
@AutoService(Component.class)
public final class MaxPool implements Layer {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "maxPool", null,
            "2-D max pooling over images [B, C, H, W], without padding.",
            List.of(Param.of("size", Type.positive(), 2, "window height and width"),
                    Param.of("stride", Type.atLeast(0), 0, "step between windows; 0 means the window size")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloatRank(input, 4, "[B, C, H, W]",
                "maxPool takes channels-first images, such as the output of conv2d");
        long size = args.integer("size"), stride = stride(args);
        if (input.size(2) < size || input.size(3) < size) {
            throw new ShapeException("a " + size + "×" + size + " window does not fit in a " + input.size(2)
                    + "×" + input.size(3) + " image", "use a smaller size, or pool earlier in the model");
        }
        return input.withDim(2, Dim.of((input.size(2) - size) / stride + 1))
                .withDim(3, Dim.of((input.size(3) - size) / stride + 1));
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long size = args.integer("size");
        return Cost.of(0, Exact.times(output.exampleElements(), size, size));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        long size = args.integer("size"), stride = stride(args);
        return ctx.sd().cnn.maxPooling2d(input, Pooling2DConfig.builder().kH(size).kW(size).sH(stride).sW(stride)
                .isNHWC(false).build());
    }

    private static long stride(Args args) {
        long stride = args.integer("stride");
        return stride == 0 ? args.integer("size") : stride;
    }
}
