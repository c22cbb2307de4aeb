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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Arrays a Java host passes in by name (JSR-223 bindings, or the API's compiler), one per input and one for the
 * label, dimension 0 = example: int arrays are token ids (inputs) or class ids (labels), float arrays features or
 * regression targets. Rows are split at random (seeded) as {@code csv} splits them: {@code round(n·testFraction)}
 * form the test split, each split keeps the arrays' order. The schema is read from the arrays' shapes, so a script
 * is checked against the very data it will train on.
 */
@AutoService(Component.class)
public final class InMemory implements DataSource {

    private static final Signature SIGNATURE = new Signature(Kind.DATA, "arrays", null,
            "Arrays passed in by a Java host application (script engine bindings or the Java API), by name: each input "
                    + "named in inputs becomes a model input of that name, int arrays as token ids and float arrays as "
                    + "features; the label array holds class ids (int, with classes > 0) or float regression targets "
                    + "(classes = 0). The split is random (seeded), as for csv. Not available from the command line.",
            List.of(Param.required("inputs", new Type.ListOf(new Type.Str()), "the names of the input arrays, e.g. [\"x\"]"),
                    Param.required("label", new Type.Str(), "the name of the label array"),
                    Param.of("classes", Type.atLeast(0), 0, "number of classes; 0 for regression"),
                    Param.of("testFraction", Type.unit(), 0.2, "share of rows held out as the test split"),
                    Param.of("seed", Type.integer(), 0, "seed of the random train/test split")));

    private final Map<String, Dataset.Column> bound;

    /** The source as the standard library registers it: no host, so no arrays. */
    public InMemory() { this(Map.of()); }

    /** The source over a host's arrays, by name (each column's dimension 0 is the example). */
    public InMemory(Map<String, Dataset.Column> arrays) { this.bound = Map.copyOf(arrays); }

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public DataSchema schema(Args args) throws ShapeException {
        List<String> names = inputs(args);
        if (names.isEmpty()) throw new ShapeException("inputs is empty", "name the input arrays, e.g. inputs = [\"x\"]");
        if (new HashSet<>(names).size() != names.size()) throw new ShapeException("inputs names an array twice", "list each array once");
        String labelName = args.str("label");
        if (names.contains(labelName)) throw new ShapeException("the label array '" + labelName + "' is also an input", "remove it from inputs");
        Dataset.Column label = column(labelName);
        List<DataSchema.Field> fields = new ArrayList<>();
        for (String n : names) {
            Dataset.Column c = column(n);
            if (c.size() != label.size()) {
                throw new ShapeException("array '" + n + "' holds " + c.size() + " examples but the label array '" + labelName
                        + "' holds " + label.size(), "pass one label per example");
            }
            fields.add(c instanceof Dataset.Ints ids ? new DataSchema.Field(n, Shape.batch(DType.INT, c.exampleShape()), vocab(n, ids))
                    : new DataSchema.Field(n, Shape.batch(DType.FLOAT, c.exampleShape())));
        }
        long classes = args.integer("classes");
        if (classes == 1) throw new ShapeException("classes = 1 leaves nothing to predict", "use classes ≥ 2, or 0 for regression");
        Sizes.atMost("classes", classes, Integer.MAX_VALUE, "class ids are 32-bit integers");
        Shape labelShape;
        if (classes > 0) {
            if (!(label instanceof Dataset.Ints) || label.width() != 1) {
                throw new ShapeException("with classes = " + classes + " the label array '" + labelName + "' must hold one int "
                        + "class id per example, but it holds " + describe(label), "pass an int[] of class ids, or set classes = 0 for regression");
            }
            labelShape = Shape.batch(DType.INT);
        } else {
            if (label instanceof Dataset.Ints) {
                throw new ShapeException("the label array '" + labelName + "' holds ints, but with classes = 0 the label is a "
                        + "regression target", "for classification set classes to the number of classes; for regression pass floats");
            }
            labelShape = Shape.batch(DType.FLOAT, regressionShape(label));
        }
        return new DataSchema(fields, new DataSchema.Field(labelName, labelShape, classes), classes, Splits.NAMES);
    }

    @Override
    public Dataset load(Args args, String split, Path baseDir) throws DataException {
        boolean train = Splits.index(split) == 0;
        Dataset.Column label;
        List<Dataset.Column> columns = new ArrayList<>();
        try {
            label = column(args.str("label"));
            for (String n : inputs(args)) columns.add(column(n));
        } catch (ShapeException e) {
            throw new DataException(e.getMessage(), e.hint());
        }
        long classes = args.integer("classes");
        if (classes > 0) {
            int[] ids = ((Dataset.Ints) label).values();
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 0 || ids[i] >= classes) {
                    throw new DataException("label " + ids[i] + " of example " + i + " in array '" + args.str("label")
                            + "' is not a class id in 0.." + (classes - 1), "set classes to the number of classes, with ids numbered from 0");
                }
            }
        } else if (label.exampleShape().length == 0) {
            label = new Dataset.Floats(((Dataset.Floats) label).values(), new long[] {1});
        }
        int n = label.size();
        boolean[] test = Csv.testRows(n, args.real("testFraction"), args.integer("seed"));
        int[] rows = java.util.stream.IntStream.range(0, n).filter(r -> test[r] != train).toArray();
        List<Dataset.Column> picked = new ArrayList<>();
        for (Dataset.Column c : columns) picked.add(c.select(rows));
        return Dataset.of(picked, label.select(rows));
    }

    private Dataset.Column column(String name) throws ShapeException {
        Dataset.Column c = bound.get(name);
        if (c != null) return c;
        throw new ShapeException("no array '" + name + "' was passed in" + (bound.isEmpty() ? "" : " (passed: "
                        + String.join(", ", new java.util.TreeSet<>(bound.keySet())) + ")"),
                bound.isEmpty() ? "arrays(...) reads arrays a Java application passes in (script engine bindings or the "
                        + "Java API); from the command line use csv or another source" : "pass it, or name one of those");
    }

    /** One past the largest token id, the vocabulary the ids need. */
    private static long vocab(String name, Dataset.Ints ids) throws ShapeException {
        int max = -1;
        for (int v : ids.values()) {
            if (v < 0) throw new ShapeException("array '" + name + "' holds the negative token id " + v, "token ids count from 0");
            max = Math.max(max, v);
        }
        return max + 1L;
    }

    /** A regression target per example: a scalar becomes shape [1], as for csv. */
    private static long[] regressionShape(Dataset.Column label) {
        return label.exampleShape().length == 0 ? new long[] {1} : label.exampleShape();
    }

    private static String describe(Dataset.Column c) {
        return (c instanceof Dataset.Ints ? "int" : "float") + java.util.Arrays.toString(c.exampleShape()) + " per example";
    }

    private static List<String> inputs(Args args) {
        return ((Value.List_) args.get("inputs")).items().stream().map(v -> ((Value.Str) v).value()).toList();
    }
}
