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
import dev.eff.dsl.check.Value;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import java.nio.file.Path;
import java.util.List;

/**
 * Image classification from IDX files (the MNIST format, optionally gzipped): pixel bytes p become
 * p / 255 in [0, 1], one float tensor of {@code shape} per example; labels are class ids below
 * {@code classes}.
 */
@AutoService(Component.class)
public final class Idx implements DataSource {

    static final String HINT = "paths are relative to the script's folder; the IDX files may be gzipped (.gz)";

    private static final Signature SIGNATURE = new Signature(Kind.DATA, "idx", null,
            "Images and class labels from IDX files (MNIST format, .gz read transparently); pixels scaled to [0, 1]. "
                    + "Input `image: float[shape]`, one class label per image.",
            List.of(
                    Param.required("images", new Type.Str(), "training images (IDX, unsigned bytes)"),
                    Param.required("labels", new Type.Str(), "training labels (IDX, rank 1)"),
                    Param.required("testImages", new Type.Str(), "test images"),
                    Param.required("testLabels", new Type.Str(), "test labels"),
                    Param.of("shape", new Type.ListOf(Type.positive()),
                            new Value.List_(List.of(new Value.Int(1), new Value.Int(28), new Value.Int(28))),
                            "shape of one image, e.g. [channels, height, width]; checked against the file header at load"),
                    Param.of("classes", Type.atLeast(2), 10, "number of classes; every label must be below it")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public DataSchema schema(Args args) throws ShapeException {
        long[] shape = shape(args);
        long pixels = 1;
        for (long s : shape) pixels = Sizes.saturatingProduct(pixels, s);
        Sizes.atMost("the pixels of one image", pixels, Sizes.MAX_ARRAY, "an IDX file is read into one Java array");
        return imageSchema(shape, args.integer("classes"));
    }

    static DataSchema imageSchema(long[] shape, long classes) {
        return new DataSchema(List.of(new DataSchema.Field("image", Shape.batch(DType.FLOAT, shape))),
                new DataSchema.Field("label", Shape.batch(DType.INT)), classes, Splits.NAMES);
    }

    @Override
    public Dataset load(Args args, String split, Path baseDir) throws DataException {
        boolean train = Splits.index(split) == 0;
        Path images = DataFiles.existing(baseDir, args.str(train ? "images" : "testImages"), HINT);
        Path labels = DataFiles.existing(baseDir, args.str(train ? "labels" : "testLabels"), HINT);
        return IdxFile.imageSplit(images, labels, shapeUnchecked(args), args.integer("classes"));
    }

    @Override
    public void verify(Args args, Path baseDir) throws DataException {
        for (String file : List.of("images", "labels", "testImages", "testLabels")) DataFiles.existing(baseDir, args.str(file), HINT);
    }

    private static long[] shape(Args args) throws ShapeException {
        long[] s = shapeUnchecked(args);
        if (s.length == 0) throw new ShapeException("shape must name at least one dimension", "e.g. shape = [1, 28, 28]");
        return s;
    }

    private static long[] shapeUnchecked(Args args) {
        return ((Value.List_) args.get("shape")).items().stream().mapToLong(v -> ((Value.Int) v).value()).toArray();
    }
}
