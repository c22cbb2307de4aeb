package dev.eff.interpreter;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Signature;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import java.nio.file.Path;
import java.util.List;

/** Test-only data source: Gaussian blobs; the split named "missing" fails like an absent file, "empty" has no examples. */
public final class TestBlobs implements DataSource {
    @Override public Signature signature() { return new Signature(Kind.DATA, "blobs", null, "test blobs", List.of()); }

    @Override public DataSchema schema(Args args) { return Fixtures.SCHEMA; }

    @Override
    public Dataset load(Args args, String split, Path baseDir) throws DataException {
        if (split.equals("missing")) {
            throw new DataException("cannot read " + baseDir.resolve("blobs.csv").toAbsolutePath() + ": no such file",
                    "create the file or fix the path");
        }
        if (split.equals("empty")) return Dataset.of(List.of(new Dataset.Floats(new float[0], new long[] {4})), new Dataset.Ints(new int[0], new long[0]));
        return Fixtures.blobs(split.equals("train") ? 90 : 30, split.equals("train") ? 1 : 2);
    }
}
