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

/**
 * Byte-level language modelling over one text file: with the split's bytes b, window i holds
 * {@code tokens = b[i·L, i·L+L)} and {@code label = b[i·L+1, i·L+L+1)} (the next byte at every position).
 * Windows do not overlap; the last {@code testFraction} of the file is the test split.
 */
@AutoService(Component.class)
public final class CharText implements DataSource {

    /** One token per byte. */
    static final int VOCAB = 256;

    private static final Signature SIGNATURE = new Signature(Kind.DATA, "charText", null,
            "Character-level language modelling over a text file, one token per UTF-8 byte (vocabulary 256). "
                    + "Non-overlapping windows of seqLen bytes; the label is the next byte at each position. "
                    + "The last testFraction of the file is the test split. "
                    + "Input `tokens: int[seqLen]`, label `int[seqLen]`, classes = 256.",
            List.of(
                    Param.required("path", new Type.Str(), "the text file, relative to the script's folder"),
                    Param.of("seqLen", Type.positive(), 128, "bytes per window"),
                    Param.of("testFraction", new Type.Real(0, 1, false), 0.1, "share of the file, from its end, held out as the test split (below 1)")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public DataSchema schema(Args args) throws ShapeException {
        if (args.real("testFraction") >= 1) throw new ShapeException("testFraction must be below 1", "e.g. testFraction = 0.1");
        long len = args.integer("seqLen");
        Sizes.atMost("seqLen", len, Sizes.MAX_ARRAY - 1, "a window and its next byte are read from one Java array");
        return new DataSchema(List.of(new DataSchema.Field("tokens", Shape.batch(DType.INT, len), VOCAB)),
                new DataSchema.Field("label", Shape.batch(DType.INT, len), VOCAB), VOCAB, Splits.NAMES);
    }

    @Override
    public Dataset load(Args args, String split, Path baseDir) throws DataException {
        boolean train = Splits.index(split) == 0;
        Path path = file(args, baseDir);
        byte[] text = DataFiles.read(path);
        int cut = trainBytes(text.length, args.real("testFraction"));
        int from = train ? 0 : cut, to = train ? cut : text.length;
        int len = args.i("seqLen");
        int windows = (int) Math.max(0, (to - from - 1L) / len);
        if (windows == 0) {
            throw new DataException(path + ": the " + split + " split has " + (to - from) + " bytes, too few for one window of seqLen + 1 = " + (len + 1L),
                    "use a longer file, a smaller seqLen" + (train ? "" : " or a larger testFraction"));
        }
        int[] tokens = new int[windows * len], labels = new int[windows * len];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = text[from + i] & 0xff;
            labels[i] = text[from + i + 1] & 0xff;
        }
        long[] shape = {len};
        return Dataset.of(List.of(new Dataset.Ints(tokens, shape)), new Dataset.Ints(labels, shape));
    }

    @Override
    public void verify(Args args, Path baseDir) throws DataException {
        file(args, baseDir);
    }

    private static Path file(Args args, Path baseDir) throws DataException {
        return DataFiles.existing(baseDir, args.str("path"),
                "give a plain-text file; relative paths resolve against the script's folder (" + baseDir.toAbsolutePath().normalize() + ")");
    }

    /** Bytes before the test split: the first {@code ⌊n·(1 − testFraction)⌋}. */
    static int trainBytes(int n, double testFraction) {
        return (int) Math.floor(n * (1 - testFraction));
    }
}
