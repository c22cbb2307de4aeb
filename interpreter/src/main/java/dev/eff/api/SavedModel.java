package dev.eff.api;

import dev.eff.interpreter.bundle.Bundle;
import dev.eff.interpreter.bundle.BundleException;
import dev.eff.stdlib.Dataset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model read from a bundle ({@link Model#save}, or a script's {@code save} statement), without the script that
 * trained it: prediction only. Inputs are given as for {@link Model}: {@code INDArray}s or plain Java arrays,
 * dimension 0 = example, one argument for a model with one input, else a list in the order of {@link #inputs()}.
 * Thread-safe: predictions from several threads run one at a time over the same weights.
 */
public final class SavedModel {
    private final Bundle bundle;
    private final List<Field> inputs;

    private SavedModel(Bundle bundle) {
        this.bundle = bundle;
        this.inputs = bundle.schema().inputs().stream()
                .map(f -> new Field(f.name(), f.dtype(), Arrays.copyOfRange(f.shape(), 1, f.shape().length))).toList();
    }

    /** Reads {@code file}; a missing, damaged, truncated or foreign file, or one from a newer Eff, is an {@link EffException}. */
    static SavedModel read(Path file) throws EffException {
        Embedding.prepare();
        try {
            return new SavedModel(Bundle.read(file));
        } catch (BundleException e) {
            throw new EffException(null, e.getMessage(), e.hint());
        }
    }

    /** The model instance it was saved from ({@code lm(layers = 4)}). */
    public String instance() { return bundle.manifest().model(); }

    /** Its inputs, per example, in the order the prediction methods take them. */
    public List<Field> inputs() { return inputs; }

    /** The number of classes (0 when its output is not class scores). */
    public long classes() { return bundle.schema().classes(); }

    /** The name of each class id (the data's text labels, else the ids as text). */
    public List<String> classNames() {
        List<String> names = bundle.schema().classNames();
        if (!names.isEmpty() || classes() == 0) return names;
        return java.util.stream.LongStream.range(0, classes()).mapToObj(Long::toString).toList();
    }

    /** The metrics measured on the model before it was saved ({@code data.split/metric}). */
    public Map<String, Double> metrics() { return bundle.manifest().metrics(); }

    /** The text of the script that trained it, for the record (empty when it was compiled from text). */
    public String script() { return bundle.script(); }

    /** The raw output for a batch, the inputs as INDArrays of the inputs' types and shapes. */
    public INDArray output(INDArray... batch) { return bundle.predict(batch); }

    /** The raw output for each example of a model with one input, one row per example. */
    public float[][] predict(Object input) { return predict(List.of(input)); }

    /** The raw output for each example, one row per example. */
    public float[][] predict(List<?> batch) {
        INDArray out = run(batch);
        return out.reshape(out.size(0), -1).toFloatMatrix();
    }

    /** The most likely class of each example of a model with one input. */
    public int[] classify(Object input) { return classify(List.of(input)); }

    /** The most likely class of each example. */
    public int[] classify(List<?> batch) {
        if (classes() == 0) throw new IllegalStateException("model " + instance() + " is not a classifier");
        INDArray out = run(batch);
        return out.reshape(out.size(0), -1).argMax(1).toIntVector();
    }

    private INDArray run(List<?> batch) {
        return output(Examples.columns(instance(), inputs, batch.toArray()).stream().map(Dataset.Column::toArray).toArray(INDArray[]::new));
    }
}
