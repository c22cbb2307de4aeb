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
 * Associative recall: a sequence {@code k1 v1 k2 v2 … kn vn q} of n key/value pairs followed by a query
 * key q = k_j; the label is v_j. Keys are distinct ids drawn from {@code [0, vocab/2)}, values uniform over
 * {@code [vocab/2, vocab)}, the query uniform over the n keys.
 */
@AutoService(Component.class)
public final class AssociativeRecall implements DataSource {

    private static final Signature SIGNATURE = new Signature(Kind.DATA, "associativeRecall", null,
            "Synthetic associative recall: n key/value token pairs then a query key; predict the value bound to it. "
                    + "Input `tokens: int[2·pairs+1]`, one class label per sequence, classes = vocab.",
            List.of(
                    Param.of("vocab", Type.atLeast(4), 64, "token ids; keys come from the first half, values from the second"),
                    Param.of("pairs", Type.positive(), 16, "key/value pairs per sequence (at most vocab/2: keys are distinct)"),
                    Param.of("examples", Type.positive(), 20000, "training sequences"),
                    Param.of("testExamples", Type.positive(), 2000, "test sequences"),
                    Param.of("seed", Type.integer(), 7, "generator seed; train and test use different seeds derived from it")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public DataSchema schema(Args args) throws ShapeException {
        long vocab = args.integer("vocab"), pairs = args.integer("pairs");
        if (pairs > vocab / 2) {
            throw new ShapeException("pairs = " + pairs + " needs " + pairs + " distinct keys but vocab = " + vocab + " has only " + vocab / 2,
                    "use pairs ≤ " + vocab / 2 + " or vocab ≥ " + 2 * pairs);
        }
        return new DataSchema(List.of(new DataSchema.Field("tokens", Shape.batch(DType.INT, 2 * pairs + 1))),
                new DataSchema.Field("label", Shape.batch(DType.INT)), vocab, Splits.NAMES);
    }

    @Override
    public Dataset load(Args args, String split, Path baseDir) throws DataException {
        SplittableRandom rng = Splits.random(args.integer("seed"), split);
        int vocab = args.i("vocab"), pairs = args.i("pairs");
        int n = args.i(split.equals("train") ? "examples" : "testExamples");
        int len = 2 * pairs + 1, half = vocab / 2;
        int[] tokens = new int[n * len], labels = new int[n];
        int[] keys = new int[half];
        for (int e = 0; e < n; e++) {
            for (int k = 0; k < half; k++) keys[k] = k;
            for (int p = 0; p < pairs; p++) {
                int j = p + rng.nextInt(half - p);   // partial Fisher-Yates: keys[0..pairs) distinct
                int t = keys[p]; keys[p] = keys[j]; keys[j] = t;
                tokens[e * len + 2 * p] = keys[p];
                tokens[e * len + 2 * p + 1] = half + rng.nextInt(vocab - half);
            }
            int q = rng.nextInt(pairs);
            tokens[e * len + len - 1] = tokens[e * len + 2 * q];
            labels[e] = tokens[e * len + 2 * q + 1];
        }
        return Dataset.of(List.of(new Dataset.Ints(tokens, new long[] {len})), new Dataset.Ints(labels, new long[0]));
    }
}
