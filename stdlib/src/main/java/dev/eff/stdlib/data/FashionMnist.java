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
                    "folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may end in .gz)")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public DataSchema schema(Args args) {
        return Idx.imageSchema(SHAPE, 10);
    }

    @Override
    public Dataset load(Args args, String split, Path baseDir) throws DataException {
        String prefix = Splits.index(split) == 0 ? "train" : "t10k";
        Path dir = DataFiles.resolve(baseDir, args.str("dir"));
        if (!Files.isDirectory(dir)) throw new DataException("Fashion-MNIST folder not found: " + dir, INSTALL);
        return IdxFile.imageSplit(file(dir, prefix + "-images-idx3-ubyte"), file(dir, prefix + "-labels-idx1-ubyte"), SHAPE, 10);
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
