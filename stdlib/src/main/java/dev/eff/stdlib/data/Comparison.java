package dev.eff.stdlib.data;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A two-input task: token sequences {@code left} and {@code right} drawn uniformly from {@code [0, vocab)};
 * the label is 1 when {@code Σ left > Σ right}, else 0. Pairs with equal sums are drawn again, so the
 * label is never a coin toss.
 */
@AutoService(Component.class)
public final class Comparison implements DataSource {

    private static final Signature SIGNATURE = new Signature(Kind.DATA, "comparison", null,
            "Synthetic two-input task: is the digit sum of `left` greater than that of `right`? "
                    + "Inputs `left: int[length]` and `right: int[length]`, label 0 or 1 (ties are never drawn), classes = 2.",
            List.of(
                    Param.of("vocab", Type.atLeast(2), 10, "token values 0 .. vocab-1"),
                    Param.of("length", Type.positive(), 8, "tokens in each of the two sequences"),
                    Param.of("examples", Type.positive(), 10000, "training pairs"),
                    Param.of("testExamples", Type.positive(), 1000, "test pairs"),
                    Param.of("seed", Type.integer(), 3, "generator seed; train and test use different seeds derived from it")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public DataSchema schema(Args args) throws ShapeException {
        long len = args.integer("length"), vocab = args.integer("vocab");
        Sizes.atMost("vocab", vocab, Integer.MAX_VALUE, "token ids are 32-bit integers");
        Sizes.fitsArray("examples", args.integer("examples"), "length", len, "tokens per input");
        Sizes.fitsArray("testExamples", args.integer("testExamples"), "length", len, "tokens per input");
        return new DataSchema(
                List.of(new DataSchema.Field("left", Shape.batch(DType.INT, len), vocab),
                        new DataSchema.Field("right", Shape.batch(DType.INT, len), vocab)),
                new DataSchema.Field("label", Shape.batch(DType.INT)), 2, Splits.NAMES);
    }

    @Override
    public Dataset load(Args args, String split, Path baseDir) throws DataException {
        SplittableRandom rng = Splits.random(args.integer("seed"), split);
        int n = args.i(split.equals("train") ? "examples" : "testExamples");
        int vocab = args.i("vocab"), len = args.i("length");
        int[] left = new int[n * len], right = new int[n * len], labels = new int[n];
        for (int e = 0; e < n; e++) {
            long diff;
            do {
                diff = 0;
                for (int t = 0; t < len; t++) {
                    left[e * len + t] = rng.nextInt(vocab);
                    right[e * len + t] = rng.nextInt(vocab);
                    diff += left[e * len + t] - right[e * len + t];
                }
            } while (diff == 0);
            labels[e] = diff > 0 ? 1 : 0;
        }
        long[] shape = {len};
        return Dataset.of(List.of(new Dataset.Ints(left, shape), new Dataset.Ints(right, shape)), new Dataset.Ints(labels, new long[0]));
    }
}
