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
 * ListOps (Nangia and Bowman 2018; the Long Range Arena task): nested prefix expressions such as
 * {@code [MAX 4 [MIN 2 9 ] 0 ]} over digits with MAX, MIN, MED (median, the mean of the two middle values
 * rounded down for an even count) and SM (sum mod 10); the label is the expression's value 0-9.
 * Generation follows LRA: each argument is a nested expression with probability 1/4 (below maxDepth),
 * else a digit; an expression longer than {@code length} tokens is drawn again.
 */
@AutoService(Component.class)
public final class ListOps implements DataSource {

    static final int PAD = 0, DIGIT0 = 1, MAX = 11, MIN = 12, MED = 13, SM = 14, CLOSE = 15, VOCAB = 16;
    private static final double NESTED = 0.25;

    private static final Signature SIGNATURE = new Signature(Kind.DATA, "listops", null,
            "ListOps (LRA): nested expressions over digits with MAX, MIN, MED (median) and SM (sum mod 10); predict the value. "
                    + "Tokens (vocabulary 16): 0 PAD, 1-10 the digits 0-9, 11 `[MAX`, 12 `[MIN`, 13 `[MED`, 14 `[SM`, 15 `]`; "
                    + "each sequence is padded at the end with PAD. Input `tokens: int[length]`, label 0-9, classes = 10.",
            List.of(
                    Param.of("maxDepth", new Type.Int(1, 20), 4, "deepest nesting of operators (1 = a flat list)"),
                    Param.of("maxArgs", new Type.Int(2, 20), 5, "most arguments of one operator (at least 2)"),
                    Param.of("length", Type.atLeast(4), 128, "tokens per sequence, padding included; longer expressions are redrawn"),
                    Param.of("examples", Type.positive(), 20000, "training expressions"),
                    Param.of("testExamples", Type.positive(), 2000, "test expressions"),
                    Param.of("seed", Type.integer(), 11, "generator seed; train and test use different seeds derived from it")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public DataSchema schema(Args args) throws ShapeException {
        long len = args.integer("length");
        Sizes.fitsArray("examples", args.integer("examples"), "length", len, "tokens");
        Sizes.fitsArray("testExamples", args.integer("testExamples"), "length", len, "tokens");
        return new DataSchema(List.of(new DataSchema.Field("tokens", Shape.batch(DType.INT, len), VOCAB)),
                new DataSchema.Field("label", Shape.batch(DType.INT)), 10, Splits.NAMES);
    }

    @Override
    public Dataset load(Args args, String split, Path baseDir) throws DataException {
        SplittableRandom rng = Splits.random(args.integer("seed"), split);
        int n = args.i(split.equals("train") ? "examples" : "testExamples");
        int len = args.i("length");
        Generator g = new Generator(rng, args.i("maxDepth"), args.i("maxArgs"), len);
        int[] tokens = new int[n * len], labels = new int[n];
        for (int e = 0; e < n; e++) labels[e] = g.next(tokens, e * len);
        return Dataset.of(List.of(new Dataset.Ints(tokens, new long[] {len})), new Dataset.Ints(labels, new long[0]));
    }

    /** The value of one operator over its argument values. */
    static int apply(int op, int[] values, int count) {
        int[] v = Arrays.copyOf(values, count);
        return switch (op) {
            case MAX -> Arrays.stream(v).max().orElseThrow();
            case MIN -> Arrays.stream(v).min().orElseThrow();
            case SM -> Arrays.stream(v).sum() % 10;
            case MED -> {
                Arrays.sort(v);
                yield (v[(count - 1) / 2] + v[count / 2]) / 2;
            }
            default -> throw new IllegalArgumentException("not an operator token: " + op);
        };
    }

    /** Draws expressions into a token buffer; an attempt that outgrows {@code length} is abandoned early. */
    private static final class Generator {
        private final SplittableRandom rng;
        private final int maxDepth, maxArgs, length;
        private int[] out;
        private int start, end;

        Generator(SplittableRandom rng, int maxDepth, int maxArgs, int length) {
            this.rng = rng;
            this.maxDepth = maxDepth;
            this.maxArgs = maxArgs;
            this.length = length;
        }

        /** Writes one padded expression at {@code out[start..start+length)} and returns its value. */
        int next(int[] out, int start) {
            this.out = out;
            this.start = start;
            while (true) {
                end = start;
                int value = expression(1);
                if (value >= 0) {
                    Arrays.fill(out, end, start + length, PAD);
                    return value;
                }
            }
        }

        /** The value of a fresh expression at nesting level {@code depth}, or -1 once the length is exceeded. */
        private int expression(int depth) {
            int op = MAX + rng.nextInt(4);
            int count = 2 + rng.nextInt(maxArgs - 1);
            if (!emit(op)) return -1;
            int[] values = new int[count];
            for (int i = 0; i < count; i++) {
                if (depth < maxDepth && rng.nextDouble() < NESTED) {
                    values[i] = expression(depth + 1);
                    if (values[i] < 0) return -1;
                } else {
                    values[i] = rng.nextInt(10);
                    if (!emit(DIGIT0 + values[i])) return -1;
                }
            }
            return emit(CLOSE) ? apply(op, values, count) : -1;
        }

        private boolean emit(int token) {
            if (end - start >= length) return false;
            out[end++] = token;
            return true;
        }
    }
}
