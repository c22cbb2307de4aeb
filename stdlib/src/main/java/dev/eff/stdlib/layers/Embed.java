package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Exact;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Init;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.Lowering;
import dev.eff.stdlib.StepLowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Token embedding: int ids [B, T] → vectors E[id] + P[t] of width dim, E [vocab, dim] ~ N(0, 0.02²).
 * P is a learned [T, dim] table, the fixed sinusoids of Vaswani et al. (P[t, 2i] = sin(t/10000^(2i/dim)),
 * P[t, 2i+1] = cos(…)), or absent. The lookup is lowered as onehot(ids)·E, because SameDiff's gather
 * backward is a per-index loop (seconds per step) while the one-hot matmul is one GEMM.
 */
@AutoService(Component.class)
public final class Embed implements Layer, StepLowering {

    private static final double STD = 0.02;

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "embed", null,
            "Token embedding: int ids [B, T] to vectors [B, T, dim], plus a position encoding. Computed as "
                    + "one-hot × table (one matrix product), so its cost grows with vocab: suited to vocabularies "
                    + "up to a few thousand.",
            List.of(Param.required("vocab", Type.atLeast(2), "number of distinct token ids (ids are 0 … vocab-1)"),
                    Param.required("dim", Type.positive(), "width of each token vector"),
                    Param.choice("position", "position encoding added to each vector: a learned table, "
                            + "fixed sinusoids, or none", "learned", "sinusoidal", "none")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        if (input.dtype() != DType.INT) {
            throw new ShapeException("expects token ids int[B, T], got " + input.describe(),
                    "embed maps integer token ids to vectors; project float features with dense(units) instead");
        }
        if (input.rank() != 2) {
            throw new ShapeException("expects token ids int[B, T], got " + input.describe(),
                    "give each example one sequence of ids; flatten() other layouts first");
        }
        return Shape.batch(DType.FLOAT, input.size(1), args.integer("dim"));
    }

    @Override
    public long idVocabulary(Args args) { return args.integer("vocab"); }

    /** The one-hot rows [T, vocab] that the lookup multiplies by the table, kept for the table's gradient. */
    @Override
    public long intermediateElements(Args args, Shape input, Shape output) throws ShapeException {
        return Math.multiplyExact(input.size(1), args.integer("vocab"));
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long vocab = args.integer("vocab"), dim = args.integer("dim"), t = input.size(1);
        String position = args.symbol("position");
        long params = Exact.plus(Exact.times(vocab, dim), position.equals("learned") ? Exact.times(t, dim) : 0);
        long lookup = Exact.times(2, t, vocab, dim);
        return Cost.of(params, Exact.plus(lookup, position.equals("none") ? 0 : Exact.times(t, dim)));
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        SameDiff sd = ctx.sd();
        int vocab = args.i("vocab");
        long dim = args.integer("dim"), t = Shapes.example(ctx.inputShape())[0];
        SDVariable table = ctx.param("tokens", new long[] {vocab, dim}, new Init.Normal(STD));
        SDVariable oneHot = sd.oneHot(input, vocab, -1, 1.0, 0.0, ctx.dtype()).reshape(-1, vocab);
        SDVariable vectors = oneHot.mmul(table).reshape(-1, t, dim);
        return switch (args.symbol("position")) {
            case "learned" -> vectors.add(ctx.param("positions", new long[] {t, dim}, new Init.Normal(STD)));
            case "sinusoidal" -> vectors.add(sd.constant(ctx.name("sinusoids"),
                    Nd4j.createFromArray(sinusoids((int) t, (int) dim)).castTo(ctx.dtype())));
            default -> vectors;
        };
    }

    /** One token: its vector plus the position table's row at {@code ctx.position()} (the same tables as {@link #lower}). */
    @Override
    public SDVariable lowerStep(Step ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        SameDiff sd = ctx.sd();
        int vocab = args.i("vocab");
        long dim = args.integer("dim"), t = ctx.graphPositions();
        SDVariable table = ctx.param("tokens", new long[] {vocab, dim}, new Init.Normal(STD));
        SDVariable vectors = sd.oneHot(input, vocab, -1, 1.0, 0.0, ctx.dtype()).reshape(-1, vocab).mmul(table).reshape(-1, 1, dim);
        return switch (args.symbol("position")) {
            case "learned" -> vectors.add(sd.gather(ctx.param("positions", new long[] {t, dim}, new Init.Normal(STD)), ctx.position(), 0));
            case "sinusoidal" -> vectors.add(sd.gather(sd.constant(ctx.name("sinusoids"),
                    Nd4j.createFromArray(sinusoids((int) t, (int) dim)).castTo(ctx.dtype())), ctx.position(), 0));
            default -> vectors;
        };
    }

    /** The fixed position table [t, dim]: sin on even columns, cos on odd ones, wavelengths 2π … 10000·2π. */
    static double[][] sinusoids(int t, int dim) {
        double[][] table = new double[t][dim];
        for (int pos = 0; pos < t; pos++) {
            for (int c = 0; c < dim; c++) {
                double angle = pos / Math.pow(10000, (double) (c - c % 2) / dim);
                table[pos][c] = c % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
            }
        }
        return table;
    }
}
