package dev.eff.stdlib;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One split held in memory: one column per model input (in the order of the data schema's inputs) and the
 * labels, each with dimension 0 = example. Token ids and class labels are INT32, everything else FLOAT32.
 * The values live in Java arrays, so shuffled mini-batches are row copies ({@link #select}) rather than
 * native gathers, and ND4J arrays are made only for the rows a step needs.
 */
public final class Dataset {

    private final List<Column> inputs;
    private final Column labels;
    private final List<String> classNames;

    private Dataset(List<Column> inputs, Column labels) { this(inputs, labels, null); }

    private Dataset(List<Column> inputs, Column labels, List<String> classNames) {
        this.inputs = List.copyOf(inputs);
        this.labels = labels;
        this.classNames = classNames == null ? null : List.copyOf(classNames);
        for (Column c : this.inputs) {
            if (c.size() != labels.size()) {
                throw new IllegalArgumentException("inputs and labels differ in example count: " + c.size() + " vs " + labels.size());
            }
        }
    }

    /** A dataset of host columns. */
    public static Dataset of(List<Column> inputs, Column labels) { return new Dataset(inputs, labels); }

    /** A dataset copied from ND4J arrays (INT32 arrays become int columns, every other type float). */
    public Dataset(List<INDArray> inputs, INDArray labels) {
        this(inputs.stream().map(Column::of).toList(), Column.of(labels));
    }

    public int size() { return labels.size(); }

    /** The names of class ids 0, 1, ... as the source wrote them (text labels), or null when it knew none. */
    public List<String> classNames() { return classNames; }

    /** This dataset with names for its class ids. */
    public Dataset withClassNames(List<String> names) { return new Dataset(inputs, labels, names); }

    public List<Column> columns() { return inputs; }

    public Column labelColumn() { return labels; }

    /** Fresh ND4J arrays of the inputs, {@code [n, example shape...]}. */
    public List<INDArray> inputs() { return inputs.stream().map(Column::toArray).toList(); }

    /** A fresh ND4J array of the labels. */
    public INDArray labels() { return labels.toArray(); }

    /** The examples at these indices, in this order (for shuffled mini-batches). */
    public Dataset select(int[] indices) {
        return new Dataset(inputs.stream().map(c -> c.select(indices)).toList(), labels.select(indices), classNames);
    }

    /** The examples at these indices, in this order. */
    public Dataset select(long[] indices) {
        return select(Arrays.stream(indices).mapToInt(Math::toIntExact).toArray());
    }

    /** Examples [from, to). */
    public Dataset slice(long from, long to) {
        int f = Math.toIntExact(from), t = Math.toIntExact(to);
        return new Dataset(inputs.stream().map(c -> c.slice(f, t)).toList(), labels.slice(f, t), classNames);
    }

    /**
     * The values of one input or of the labels for every example, row-major: {@code example shape} is the
     * shape of one example (empty for a scalar per example, such as a class label). The arrays are shared,
     * not copied: treat them as read-only.
     */
    public sealed interface Column permits Ints, Floats {
        long[] exampleShape();

        /** Elements per example. */
        default int width() {
            long w = 1;
            for (long s : exampleShape()) w *= s;
            return Math.toIntExact(w);
        }

        int size();

        INDArray toArray();

        Column select(int[] indices);

        Column slice(int from, int to);

        static Column of(INDArray a) {
            long[] example = Arrays.copyOfRange(a.shape(), 1, a.rank());
            INDArray c = a.dup('c');
            return a.dataType() == DataType.INT32 ? new Ints(c.data().asInt(), example) : new Floats(c.data().asFloat(), example);
        }
    }

    /** INT32 values: token ids and class labels. */
    public record Ints(int[] values, long[] exampleShape) implements Column {
        public Ints {
            exampleShape = exampleShape.clone();
            checkLength(values.length, exampleShape);
        }

        public int size() { return values.length / width(); }

        public int at(int example, int offset) { return values[example * width() + offset]; }

        public INDArray toArray() { return Nd4j.createFromArray(values).reshape(shapeOf(size(), exampleShape)); }

        public Column select(int[] indices) { return new Ints((int[]) pick(values, width(), indices, new int[indices.length * width()]), exampleShape); }

        public Column slice(int from, int to) { return new Ints(Arrays.copyOfRange(values, from * width(), to * width()), exampleShape); }
    }

    /** FLOAT32 values: features, pixels, regression targets. */
    public record Floats(float[] values, long[] exampleShape) implements Column {
        public Floats {
            exampleShape = exampleShape.clone();
            checkLength(values.length, exampleShape);
        }

        public int size() { return values.length / width(); }

        public float at(int example, int offset) { return values[example * width() + offset]; }

        public INDArray toArray() { return Nd4j.createFromArray(values).reshape(shapeOf(size(), exampleShape)); }

        public Column select(int[] indices) { return new Floats((float[]) pick(values, width(), indices, new float[indices.length * width()]), exampleShape); }

        public Column slice(int from, int to) { return new Floats(Arrays.copyOfRange(values, from * width(), to * width()), exampleShape); }
    }

    private static void checkLength(int length, long[] exampleShape) {
        long w = 1;
        for (long s : exampleShape) {
            if (s <= 0) throw new IllegalArgumentException("example shape " + Arrays.toString(exampleShape) + " has a non-positive size");
            w *= s;
        }
        if (length % w != 0) {
            throw new IllegalArgumentException(length + " values do not divide into examples of shape " + Arrays.toString(exampleShape));
        }
    }

    /** Copies rows {@code indices} of width {@code width} from {@code src} into {@code dst}, one arraycopy each. */
    private static Object pick(Object src, int width, int[] indices, Object dst) {
        for (int i = 0; i < indices.length; i++) System.arraycopy(src, indices[i] * width, dst, i * width, width);
        return dst;
    }

    private static long[] shapeOf(int n, long[] exampleShape) {
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = n;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        return shape;
    }
}
