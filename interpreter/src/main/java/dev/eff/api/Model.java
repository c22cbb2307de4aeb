package dev.eff.api;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.train.Evaluator;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Metric;
import dev.eff.stdlib.Registry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model instance of a script, with the weights the script's statements left it (trained, when a {@code train}
 * statement trained it), run through its inference graph: no dropout, no auxiliary losses. Inputs are
 * {@code INDArray}s or plain Java arrays ({@code float[][]}, {@code int[][]}, ...), dimension 0 = example: one
 * argument for a model with one input, else a list in the order of {@link #inputs()}; an array with one dimension
 * fewer than the input is one example. Every method is thread-safe: calls from several threads run one at a time over
 * the same weights.
 */
public final class Model {
    private final ModelInfo info;
    private final long classes;
    private final Registry registry;
    private final Supplier<CompiledModel> build;
    private final Saving saving;
    private CompiledModel graph;

    /** Writes the model to a bundle. */
    interface Saving {
        void save(Path file) throws EffException;
    }

    Model(ModelInfo info, long classes, Registry registry, Supplier<CompiledModel> build, Saving saving) {
        this.info = info;
        this.classes = classes;
        this.registry = registry;
        this.build = build;
        this.saving = saving;
    }

    /** The model's name as declared. */
    public String name() { return info.name(); }

    /** Its instance key ({@code lm(layers = 4)}). */
    public String instance() { return info.instance(); }

    /** Inputs, output, parameters and FLOPs. */
    public ModelInfo info() { return info; }

    /** The inputs, per example, in the order the prediction methods take them. */
    public List<Field> inputs() { return info.inputs(); }

    /**
     * Writes the model as it is now to a bundle (a file ending in {@code .effb}, written atomically): its inference
     * graph and weights, data schema, the script, every setting it was built and trained with, its metrics and seed.
     * {@link Eff#load} reads it back without the script. An existing file is only replaced when it is a bundle.
     *
     * @throws IllegalArgumentException when the name does not end in {@code .effb}
     * @throws EffException when the file exists and is no bundle, or cannot be written
     */
    public synchronized void save(Path file) throws EffException { saving.save(file); }

    /** A copy of every variable of the model (weights, frozen parameters, state), by full name. */
    public synchronized Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        graph().parameters().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    /** The number of classes of the data it was last used with (0 when its output is not class scores). */
    public long classes() { return classes; }

    /**
     * The model's raw output for a batch ({@code [B, ...]}: for a classifier the class scores before softmax). The
     * arrays are fed as given, so they must have the inputs' types (INT32 ids, FLOAT32 otherwise) and shapes.
     */
    public synchronized INDArray output(INDArray... inputs) {
        CompiledModel m = graph();
        if (inputs.length != m.inputs().size()) {
            throw new IllegalArgumentException("model " + instance() + " takes " + m.inputs().size() + " input(s) (" + inputs() + "), got " + inputs.length);
        }
        return m.predict(Arrays.asList(inputs));
    }

    /** The raw output for each example of a model with one input, flattened to one row per example. */
    public float[][] predict(Object input) { return predict(List.of(input)); }

    /** The raw output for each example, flattened to one row per example (inputs in the order of {@link #inputs()}). */
    public float[][] predict(List<?> inputs) {
        INDArray out = output(Examples.columns(instance(), inputs(), inputs.toArray()).stream().map(Dataset.Column::toArray).toArray(INDArray[]::new));
        return out.reshape(out.size(0), -1).toFloatMatrix();
    }

    /** The most likely class of each example of a model with one input (a classifier's arg-max). */
    public int[] classify(Object input) { return classify(List.of(input)); }

    /** The most likely class of each example (a classifier's arg-max; inputs in the order of {@link #inputs()}). */
    public int[] classify(List<?> inputs) {
        if (classes == 0) throw new IllegalStateException("model " + instance() + " is not a classifier (its data has no classes)");
        INDArray out = output(Examples.columns(instance(), inputs(), inputs.toArray()).stream().map(Dataset.Column::toArray).toArray(INDArray[]::new));
        return out.reshape(out.size(0), -1).argMax(1).toIntVector();
    }

    /** As {@link #evaluate(List, Object, String...)} for a model with one input. */
    public Map<String, Double> evaluate(Object input, Object labels, String... metrics) {
        return evaluate(List.of(input), labels, metrics);
    }

    /**
     * Evaluates the model on examples given from Java: {@code inputs} as for {@link #predict}, {@code labels} one
     * per example (class ids as {@code int[]} for a classifier), and the metrics by name with their default settings
     * ({@code "accuracy"}, {@code "perplexity"}, {@code "mse"}, ...). Returns each metric's value by name.
     */
    public Map<String, Double> evaluate(List<?> inputs, Object labels, String... metrics) {
        List<Dataset.Column> columns = Examples.columns(instance(), inputs(), inputs.toArray());
        Dataset.Column y = JavaValues.column("labels", labels);
        if (classes == 0 && y instanceof Dataset.Floats f && f.exampleShape().length == 0) y = new Dataset.Floats(f.values(), new long[] {1});
        List<Evaluator.Request> requests = new ArrayList<>();
        for (String name : metrics) {
            Metric m = metric(name);
            requests.add(new Evaluator.Request(name, m, defaults(m)));
        }
        synchronized (this) {
            return new Evaluator().evaluate(graph(), Dataset.of(columns, y), 256, requests, classes).metrics();
        }
    }

    private Metric metric(String name) {
        var found = registry.lookup(Kind.METRIC, name);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("unknown metric '" + name + "'; the metrics are " + String.join(", ", registry.names(Kind.METRIC)));
        }
        return (Metric) found.get(0);
    }

    private static Args defaults(Metric m) {
        Map<String, Value> values = new LinkedHashMap<>();
        for (Param p : m.signature().params()) {
            if (p.required()) throw new IllegalArgumentException("metric '" + m.signature().name() + "' needs " + p.name() + "; evaluate it from a script");
            values.put(p.name(), p.defaultValue());
        }
        return new Args(values);
    }

    private synchronized CompiledModel graph() {
        if (graph == null) graph = build.get();
        return graph;
    }
}
