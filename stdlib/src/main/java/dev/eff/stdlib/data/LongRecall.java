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
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Multi-query associative recall across a long gap, a long-range task for efficient attention: a sequence of
 * {@code length} tokens starts with n key/value pairs {@code k1 v1 … kn vn}, continues with filler tokens (id 0) and
 * ends with m distinct query keys, each to be answered with the value bound to it. Only attention reaching back over
 * the whole gap (about {@code length} positions) can answer; a window shorter than the gap cannot. Keys are distinct ids
 * from {@code [1, vocab/2)}, values uniform over {@code [vocab/2, vocab)}. Labels are per position: the value at
 * each query position, -1 (ignored) elsewhere.
 */
@AutoService(Component.class)
public final class LongRecall implements DataSource {

    static final int FILLER = 0;

    private static final Signature SIGNATURE = new Signature(Kind.DATA, "longRecall", null,
            "Long-range associative recall: key/value pairs at the start of a `length`-token sequence, filler, and query "
                    + "keys at the end whose values must be recalled across the gap. Input `tokens: int[length]`; labels "
                    + "int[length] with the value at each query position and -1 (ignored) elsewhere; classes = vocab.",
            List.of(
                    Param.of("length", Type.atLeast(8), 1024, "tokens per sequence, pairs and queries included"),
                    Param.of("vocab", Type.atLeast(6), 32, "token ids: 0 is the filler, keys from [1, vocab/2), values from [vocab/2, vocab)"),
                    Param.of("pairs", Type.positive(), 8, "key/value pairs at the start (distinct keys, at most vocab/2 − 1)"),
                    Param.of("queries", Type.positive(), 4, "distinct query keys at the end (at most pairs)"),
                    Param.of("examples", Type.positive(), 4000, "training sequences"),
                    Param.of("testExamples", Type.positive(), 500, "test sequences"),
                    Param.of("seed", Type.integer(), 7, "generator seed; train and test use different seeds derived from it")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public DataSchema schema(Args args) throws ShapeException {
        long length = args.integer("length"), vocab = args.integer("vocab"), pairs = args.integer("pairs"),
                queries = args.integer("queries"), keys = vocab / 2 - 1;
        if (pairs > keys) {
            throw new ShapeException("pairs = " + pairs + " needs " + pairs + " distinct keys but vocab = " + vocab + " has only " + keys,
                    "use pairs ≤ " + keys + " or vocab ≥ " + 2 * (pairs + 1));
        }
        if (queries > pairs) {
            throw new ShapeException("queries = " + queries + " asks for distinct keys but there are only pairs = " + pairs,
                    "use queries ≤ " + pairs);
        }
        if (2 * pairs + queries > length) {
            throw new ShapeException("length = " + length + " cannot hold " + pairs + " pairs and " + queries + " queries",
                    "use length ≥ " + (2 * pairs + queries));
        }
        return new DataSchema(List.of(new DataSchema.Field("tokens", Shape.batch(DType.INT, length))),
                new DataSchema.Field("label", Shape.batch(DType.INT, length)), vocab, Splits.NAMES);
    }

    @Override
    public Dataset load(Args args, String split, Path baseDir) throws DataException {
        SplittableRandom rng = Splits.random(args.integer("seed"), split);
        int length = args.i("length"), vocab = args.i("vocab"), pairs = args.i("pairs"), queries = args.i("queries");
        int n = args.i(split.equals("train") ? "examples" : "testExamples"), half = vocab / 2;
        int[] tokens = new int[n * length], labels = new int[n * length];
        Arrays.fill(labels, -1);
        int[] keys = new int[half - 1];
        int[] order = new int[pairs];
        for (int e = 0; e < n; e++) {
            int row = e * length;
            for (int k = 0; k < keys.length; k++) keys[k] = k + 1;
            for (int p = 0; p < pairs; p++) {
                int j = p + rng.nextInt(keys.length - p);   // partial Fisher-Yates: distinct keys
                int t = keys[p]; keys[p] = keys[j]; keys[j] = t;
                tokens[row + 2 * p] = keys[p];
                tokens[row + 2 * p + 1] = half + rng.nextInt(vocab - half);
                order[p] = p;
            }
            for (int i = 0; i < queries; i++) {
                int j = i + rng.nextInt(pairs - i);   // distinct queries
                int t = order[i]; order[i] = order[j]; order[j] = t;
                int at = row + length - queries + i;
                tokens[at] = tokens[row + 2 * order[i]];
                labels[at] = tokens[row + 2 * order[i] + 1];
            }
        }
        return Dataset.of(List.of(new Dataset.Ints(tokens, new long[] {length})), new Dataset.Ints(labels, new long[] {length}));
    }
}
