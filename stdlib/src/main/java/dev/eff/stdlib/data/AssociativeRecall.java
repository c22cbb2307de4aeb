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
 * Associative recall: a sequence {@code k1 v1 k2 v2 … kn vn q} of n key/value pairs followed by a query
 * key q = k_j; the label is v_j. Keys are distinct ids drawn from {@code [0, vocab/2)}, values uniform over
 * {@code [vocab/2, vocab)}, the query uniform over the n keys.
 * With {@code queries = m > 1} (multi-query recall, Zoology's MQAR) the pairs are followed by m distinct
 * keys {@code q1 … qm}, and the label is per position: the value bound to q_i at its position, -1 ("no
 * label") elsewhere, so one sequence yields m training signals instead of one.
 */
@AutoService(Component.class)
public final class AssociativeRecall implements DataSource {

    private static final Signature SIGNATURE = new Signature(Kind.DATA, "associativeRecall", null,
            "Synthetic associative recall: n key/value token pairs then a query key; predict the value bound to it. "
                    + "Input `tokens: int[2·pairs+queries]`; with queries = 1 one class label per sequence, else "
                    + "labels int[2·pairs+queries] holding the value at each query position and -1 (ignored) elsewhere; "
                    + "classes = vocab.",
            List.of(
                    Param.of("vocab", Type.atLeast(4), 64, "token ids; keys come from the first half, values from the second"),
                    Param.of("pairs", Type.positive(), 16, "key/value pairs per sequence (at most vocab/2: keys are distinct)"),
                    Param.of("queries", Type.positive(), 1,
                            "query keys per sequence (distinct, at most pairs); above 1 the labels are per position, "
                                    + "so end the model with logits(vocab) instead of pooling"),
                    Param.of("examples", Type.positive(), 20000, "training sequences"),
                    Param.of("testExamples", Type.positive(), 2000, "test sequences"),
                    Param.of("seed", Type.integer(), 7, "generator seed; train and test use different seeds derived from it")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public DataSchema schema(Args args) throws ShapeException {
        long vocab = args.integer("vocab"), pairs = args.integer("pairs"), queries = args.integer("queries");
        Sizes.atMost("vocab", vocab, Sizes.MAX_ARRAY, "token ids are 32-bit integers");
        if (pairs > vocab / 2) {
            throw new ShapeException("pairs = " + pairs + " needs " + pairs + " distinct keys but vocab = " + vocab + " has only " + vocab / 2,
                    "use pairs ≤ " + vocab / 2 + " or vocab ≥ " + 2 * pairs);
        }
        if (queries > pairs) {
            throw new ShapeException("queries = " + queries + " asks for " + queries + " distinct keys but there are only pairs = " + pairs,
                    "use queries ≤ " + pairs);
        }
        long len = 2 * pairs + queries;
        Sizes.fitsArray("examples", args.integer("examples"), "2·pairs + queries", len, "tokens");
        Sizes.fitsArray("testExamples", args.integer("testExamples"), "2·pairs + queries", len, "tokens");
        Shape label = queries == 1 ? Shape.batch(DType.INT) : Shape.batch(DType.INT, len);
        return new DataSchema(List.of(new DataSchema.Field("tokens", Shape.batch(DType.INT, len), vocab)),
                new DataSchema.Field("label", label, vocab), vocab, Splits.NAMES);
    }

    @Override
    public Dataset load(Args args, String split, Path baseDir) throws DataException {
        SplittableRandom rng = Splits.random(args.integer("seed"), split);
        int vocab = args.i("vocab"), pairs = args.i("pairs");
        int n = args.i(split.equals("train") ? "examples" : "testExamples");
        int queries = args.i("queries");
        return queries == 1 ? single(rng, vocab, pairs, n) : multi(rng, vocab, pairs, queries, n);
    }

    private static Dataset single(SplittableRandom rng, int vocab, int pairs, int n) {
        int len = 2 * pairs + 1, half = vocab / 2;
        int[] tokens = new int[n * len], labels = new int[n];
        int[] keys = new int[half];
        for (int e = 0; e < n; e++) {
            writePairs(rng, vocab, pairs, keys, tokens, e * len);
            int q = rng.nextInt(pairs);
            tokens[e * len + len - 1] = tokens[e * len + 2 * q];
            labels[e] = tokens[e * len + 2 * q + 1];
        }
        return Dataset.of(List.of(new Dataset.Ints(tokens, new long[] {len})), new Dataset.Ints(labels, new long[0]));
    }

    private static Dataset multi(SplittableRandom rng, int vocab, int pairs, int queries, int n) {
        int len = 2 * pairs + queries, half = vocab / 2;
        int[] tokens = new int[n * len], labels = new int[n * len];
        Arrays.fill(labels, -1);
        int[] keys = new int[half], order = new int[pairs];
        for (int e = 0; e < n; e++) {
            int row = e * len;
            writePairs(rng, vocab, pairs, keys, tokens, row);
            for (int p = 0; p < pairs; p++) order[p] = p;
            for (int i = 0; i < queries; i++) {
                int j = i + rng.nextInt(pairs - i);   // partial Fisher-Yates over pairs: the queries are distinct
                int t = order[i]; order[i] = order[j]; order[j] = t;
                int at = row + 2 * pairs + i;
                tokens[at] = tokens[row + 2 * order[i]];
                labels[at] = tokens[row + 2 * order[i] + 1];
            }
        }
        return Dataset.of(List.of(new Dataset.Ints(tokens, new long[] {len})), new Dataset.Ints(labels, new long[] {len}));
    }

    /** Writes {@code k1 v1 … kn vn} at {@code tokens[row…]}; {@code keys} is scratch of length vocab/2. */
    private static void writePairs(SplittableRandom rng, int vocab, int pairs, int[] keys, int[] tokens, int row) {
        int half = vocab / 2;
        for (int k = 0; k < half; k++) keys[k] = k;
        for (int p = 0; p < pairs; p++) {
            int j = p + rng.nextInt(half - p);   // partial Fisher-Yates: keys[0..pairs) distinct
            int t = keys[p]; keys[p] = keys[j]; keys[j] = t;
            tokens[row + 2 * p] = keys[p];
            tokens[row + 2 * p + 1] = half + rng.nextInt(vocab - half);
        }
    }
}
