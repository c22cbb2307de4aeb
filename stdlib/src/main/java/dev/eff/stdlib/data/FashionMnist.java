package dev.eff.stdlib.data;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.dsl.check.Value;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao et al. 2017): 28×28 grey images of 10 clothing classes, 60 000 train and 10 000 test,
 * read from the four standard IDX file names in {@code dir}; pixels p / 255.
 */
@AutoService(Component.class)
public final class FashionMnist implements DataSource {

    static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    private static final long[] SHAPE = {1, 28, 28};
    private static final String INSTALL = "on Debian/Ubuntu: apt-get install dataset-fashion-mnist; "
            + "or download the four files from github.com/zalandoresearch/fashion-mnist and set dir";

    private static final Signature SIGNATURE = new Signature(Kind.DATA, "fashionMnist", null,
            "Fashion-MNIST: 28×28 grey clothing images in 10 classes (60 000 train, 10 000 test), pixels scaled to [0, 1]. "
                    + "Input `image: float[1, 28, 28]`, one class label per image.",
            List.of(Param.of("dir", new Type.Str(), new Value.Str(DEFAULT_DIR),
                    "folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may end in .gz)"),
                    Param.of("holdout", new Type.Int(0, 59_999), 0,
                            "the last this many training images form a split `heldout` that `train` never sees (held-out data, "
                                    + "e.g. for a cascade's deferral rule); 0: no such split")));

    static final String HELDOUT = "heldout";

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public DataSchema schema(Args args) {
        DataSchema s = Idx.imageSchema(SHAPE, 10);
        return args.integer("holdout") == 0 ? s : new DataSchema(s.inputs(), s.label(), s.classes(), List.of("train", HELDOUT, "test"));
    }

    @Override
    public Dataset load(Args args, String split, Path baseDir) throws DataException {
        boolean heldout = split.equals(HELDOUT) && args.integer("holdout") > 0;
        String prefix = heldout || Splits.index(split) == 0 ? "train" : "t10k";
        Path dir = DataFiles.resolve(baseDir, args.str("dir"));
        if (!Files.isDirectory(dir)) throw new DataException("Fashion-MNIST folder not found: " + dir, INSTALL);
        Dataset all = IdxFile.imageSplit(file(dir, prefix + "-images-idx3-ubyte"), file(dir, prefix + "-labels-idx1-ubyte"), SHAPE, 10);
        if (!prefix.equals("train")) return all;
        long held = args.integer("holdout"), kept = all.size() - held;
        if (kept <= 0) throw new DataException("holdout = " + held + " leaves no training images (the file holds " + all.size() + ")",
                "hold out fewer images");
        return heldout ? all.slice(kept, all.size()) : all.slice(0, kept);
    }

    @Override
    public void verify(Args args, Path baseDir) throws DataException {
        Path dir = DataFiles.resolve(baseDir, args.str("dir"));
        if (!Files.isDirectory(dir)) throw new DataException("Fashion-MNIST folder not found: " + dir, INSTALL);
        for (String prefix : List.of("train", "t10k")) {
            file(dir, prefix + "-images-idx3-ubyte");
            file(dir, prefix + "-labels-idx1-ubyte");
        }
    }

    /** {@code name.gz} or {@code name}, whichever exists. */
    private static Path file(Path dir, String name) throws DataException {
        for (String n : List.of(name + ".gz", name)) {
            if (Files.isRegularFile(dir.resolve(n))) return dir.resolve(n);
        }
        throw new DataException("Fashion-MNIST file not found: " + dir.resolve(name + ".gz") + " (nor without .gz)", INSTALL);
    }
}
