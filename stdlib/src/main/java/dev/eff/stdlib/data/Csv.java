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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Tabular data from a comma-separated file: the named feature columns become one float vector per row;
 * the label column is a class id when {@code classes > 0} (integers as written, otherwise the sorted distinct
 * names numbered from 0), else a float regression target of shape [1]. Rows are split at random (seeded):
 * {@code round(n·testFraction)} of them form the test split; each split keeps file order.
 */
@AutoService(Component.class)
public final class Csv implements DataSource {

    private static final Signature SIGNATURE = new Signature(Kind.DATA, "csv", null,
            "Rows of a comma-separated file (double quotes allowed around fields). Input `features: float[n]` from the "
                    + "named columns. With classes > 0 the label is a class id per row (integers 0..classes-1, or names, "
                    + "numbered in sorted order); with classes = 0 it is a float regression target of shape [1] per row, "
                    + "to compare with a model output ending in dense(1). The split is random (seeded), stratified by nothing.",
            List.of(
                    Param.required("path", new Type.Str(), "the CSV file, relative to the script's folder"),
                    Param.required("features", new Type.ListOf(new Type.Str()),
                            "feature column names, e.g. [\"sepal_length\", \"sepal_width\"]; without a header, 0-based column numbers as strings"),
                    Param.of("label", new Type.Str(), new Value.Str("label"), "the label column"),
                    Param.of("classes", Type.atLeast(0), 0, "number of classes; 0 for regression"),
                    Param.of("header", new Type.Bool(), true, "whether the first line names the columns"),
                    Param.of("testFraction", Type.unit(), 0.2, "share of rows held out as the test split"),
                    Param.of("seed", Type.integer(), 0, "seed of the random train/test split")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public DataSchema schema(Args args) throws ShapeException {
        List<String> features = features(args);
        if (features.isEmpty()) throw new ShapeException("features is empty", "name the feature columns, e.g. features = [\"x1\", \"x2\"]");
        if (new HashSet<>(features).size() != features.size()) throw new ShapeException("features names a column twice", "list each column once");
        if (features.contains(args.str("label"))) {
            throw new ShapeException("the label column '" + args.str("label") + "' is also a feature", "remove it from features");
        }
        long classes = args.integer("classes");
        if (classes == 1) throw new ShapeException("classes = 1 leaves nothing to predict", "use classes ≥ 2, or 0 for regression");
        Sizes.atMost("classes", classes, Integer.MAX_VALUE, "class ids are 32-bit integers");
        Shape label = classes > 0 ? Shape.batch(DType.INT) : Shape.batch(DType.FLOAT, 1);
        return new DataSchema(List.of(new DataSchema.Field("features", Shape.batch(DType.FLOAT, features.size()))),
                new DataSchema.Field(args.str("label"), label, classes), classes, Splits.NAMES);
    }

    private static List<String> features(Args args) {
        return ((Value.List_) args.get("features")).items().stream().map(v -> ((Value.Str) v).value()).toList();
    }

    @Override
    public Dataset load(Args args, String split, Path baseDir) throws DataException {
        boolean train = Splits.index(split) == 0;
        Path path = file(args, baseDir);
        Table table = Table.parse(path, DataFiles.text(DataFiles.read(path)), args.bool("header"));
        List<String> features = features(args);
        int[] featureCols = new int[features.size()];
        for (int f = 0; f < featureCols.length; f++) featureCols[f] = table.column(features.get(f));
        int labelCol = table.column(args.str("label"));

        int n = table.rows().size();
        boolean[] test = testRows(n, args.real("testFraction"), args.integer("seed"));
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) if (test[r] != train) rows.add(r);
        if (rows.isEmpty()) {
            throw new DataException(path + ": the " + split + " split is empty (" + n + (n == 1 ? " row" : " rows") + ", testFraction = " + args.real("testFraction") + ")",
                    "use more rows or change testFraction");
        }

        float[] x = new float[rows.size() * featureCols.length];
        for (int i = 0; i < rows.size(); i++) {
            for (int f = 0; f < featureCols.length; f++) x[i * featureCols.length + f] = table.number(rows.get(i), featureCols[f]);
        }
        long classes = args.integer("classes");
        Dataset.Column labels = classes > 0 ? classLabels(table, rows, labelCol, classes) : regressionTargets(table, rows, labelCol);
        Dataset d = Dataset.of(List.of(new Dataset.Floats(x, new long[] {featureCols.length})), labels);
        return classes > 0 ? d.withClassNames(textLabels(table, labelCol)) : d;
    }

    /** The sorted distinct labels when they are names (as {@link #classLabels} numbers them), else null. */
    private static List<String> textLabels(Table table, int col) {
        TreeSet<String> names = new TreeSet<>();
        for (int r = 0; r < table.rows().size(); r++) names.add(table.field(r, col));
        return names.stream().allMatch(v -> v.matches("-?\\d+")) ? null : new ArrayList<>(names);
    }

    /** Checks the file and its header only: the file exists and names every feature column and the label column. */
    @Override
    public void verify(Args args, Path baseDir) throws DataException {
        Path path = file(args, baseDir);
        Table header = Table.parse(path, DataFiles.firstLine(path), args.bool("header"), false);
        for (String f : features(args)) header.column(f);
        header.column(args.str("label"));
    }

    private static Path file(Args args, Path baseDir) throws DataException {
        return DataFiles.existing(baseDir, args.str("path"), "relative paths resolve against the script's folder (" + baseDir.toAbsolutePath().normalize() + ")");
    }

    /** A seeded random subset of {@code round(n·fraction)} rows: the first of a Fisher-Yates permutation. */
    static boolean[] testRows(int n, double fraction, long seed) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        }
        boolean[] test = new boolean[n];
        for (int i = 0; i < Math.round(n * fraction); i++) test[perm[i]] = true;
        return test;
    }

    private static Dataset.Column regressionTargets(Table table, List<Integer> rows, int col) throws DataException {
        TreeSet<String> text = new TreeSet<>();
        for (int r = 0; r < table.rows().size(); r++) if (!Table.isDecimal(table.field(r, col))) text.add(table.field(r, col));
        if (!text.isEmpty()) {
            long distinct = java.util.stream.IntStream.range(0, table.rows().size()).mapToObj(r -> table.field(r, col)).distinct().count();
            throw new DataException(table.path() + ": the label column '" + table.name(col) + "' holds text such as '" + text.first()
                    + "', but without classes the label is a regression target (a number)",
                    "for classification set classes = " + distinct + " (the column has " + distinct + " distinct labels)");
        }
        float[] y = new float[rows.size()];
        for (int i = 0; i < y.length; i++) y[i] = table.number(rows.get(i), col);
        return new Dataset.Floats(y, new long[] {1});
    }

    /**
     * Class ids: the label values as integers when every row's label is one, else the sorted distinct names
     * numbered from 0. Decided over all rows, so both splits number the classes alike.
     */
    private static Dataset.Column classLabels(Table table, List<Integer> rows, int col, long classes) throws DataException {
        TreeSet<String> names = new TreeSet<>();
        boolean integers = true;
        for (int r = 0; r < table.rows().size(); r++) {
            String v = table.field(r, col);
            names.add(v);
            integers &= v.matches("-?\\d+");
        }
        List<String> order = new ArrayList<>(names);
        if (!integers && order.size() > classes) {
            throw new DataException(table.path() + ": column '" + table.name(col) + "' has " + order.size() + " distinct labels but classes = " + classes,
                    "set classes = " + order.size());
        }
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < order.size(); k++) index.put(order.get(k), k);
        int[] y = new int[rows.size()];
        for (int i = 0; i < y.length; i++) {
            String v = table.field(rows.get(i), col);
            long id = integers ? classId(v) : index.get(v);
            y[i] = (int) id;
            if (id < 0 || id >= classes) {
                throw new DataException(table.where(rows.get(i)) + ": label " + v + " is not a class id in 0.." + (classes - 1),
                        "set classes to the number of classes, with ids numbered from 0");
            }
        }
        return new Dataset.Ints(y, new long[0]);
    }

    /** An integer label as written; one too long for a long is out of every class range, as -1. */
    private static long classId(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The parsed file: column names, and for every data row its fields and its line number. */
    record Table(Path path, List<String> names, Map<String, Integer> columns, List<String[]> rows, List<Integer> lines) {

        static Table parse(Path path, String text, boolean header) throws DataException {
            return parse(path, text, header, true);
        }

        /** {@code needRows} false reads the header alone (the first line), for checks that do not load the data. */
        static Table parse(Path path, String text, boolean header, boolean needRows) throws DataException {
            String[] lines = text.split("\r?\n", -1);
            List<String> names = null;
            List<String[]> rows = new ArrayList<>();
            List<Integer> lineNumbers = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) continue;
                String[] fields = split(lines[i], path + ":" + (i + 1));
                if (names == null) {
                    names = new ArrayList<>();
                    for (int c = 0; c < fields.length; c++) names.add(header ? fields[c] : Integer.toString(c));
                    if (header) continue;
                }
                if (fields.length != names.size()) {
                    throw new DataException(path + ":" + (i + 1) + ": " + fields.length + " fields, but the " + (header ? "header has " : "first row has ")
                            + names.size(), "every row needs one value per column");
                }
                rows.add(fields);
                lineNumbers.add(i + 1);
            }
            if (names == null || needRows && rows.isEmpty()) {
                throw new DataException(path + " has no data rows", "give a CSV file with " + (header ? "a header and " : "") + "rows");
            }
            Map<String, Integer> columns = new HashMap<>();
            for (int c = names.size() - 1; c >= 0; c--) columns.put(names.get(c), c);
            return new Table(path, names, columns, rows, lineNumbers);
        }

        /** Fields of one line; a field in double quotes may hold commas, and "" inside quotes is one quote. */
        private static String[] split(String line, String where) throws DataException {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { cur.append('"'); i++; }
                    else if (ch == '"') quoted = false;
                    else cur.append(ch);
                } else if (ch == '"') quoted = true;
                else if (ch == ',') { out.add(cur.toString().strip()); cur.setLength(0); }
                else cur.append(ch);
            }
            if (quoted) throw new DataException(where + ": unterminated quote", "close every \" inside the line");
            out.add(cur.toString().strip());
            return out.toArray(String[]::new);
        }

        int column(String name) throws DataException {
            Integer c = columns.get(name);
            if (c == null) {
                List<String> shown = names.size() <= 20 ? names : names.subList(0, 20);
                throw new DataException(path + " has no column '" + name + "'", "its columns are " + Type.list(shown)
                        + (shown.size() < names.size() ? " and " + (names.size() - shown.size()) + " more" : ""));
            }
            return c;
        }

        String name(int col) { return names.get(col); }

        String field(int row, int col) { return rows.get(row)[col]; }

        String where(int row) { return path + ":" + lines.get(row); }

        float number(int row, int col) throws DataException {
            String v = field(row, col);
            float f = decimal(v);
            if (Float.isFinite(f)) return f;
            throw new DataException(where(row) + ": column '" + name(col) + "' holds '" + v + "', not a finite decimal number",
                    "feature and regression columns must be decimal numbers such as 3, -0.5 or 1e-3");
        }

        /**
         * A decimal number as written in CSV files. {@link Float#parseFloat} also reads hex ({@code 0x1p3}),
         * {@code NaN}, {@code Infinity} and a {@code f}/{@code d} suffix; none of them is made of digits, signs,
         * points and exponents alone, so those characters plus a successful parse mean a decimal.
         */
        static boolean isDecimal(String v) { return !Float.isNaN(decimal(v)); }

        /** The value of a decimal number, NaN for anything else (a written "NaN" is not a decimal either). */
        private static float decimal(String v) {
            if (v.isEmpty()) return Float.NaN;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return Float.NaN;
            }
            try {
                return Float.parseFloat(v);
            } catch (NumberFormatException e) {
                return Float.NaN;
            }
        }
    }
}
