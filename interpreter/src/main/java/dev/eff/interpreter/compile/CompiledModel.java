package dev.eff.interpreter.compile;

import dev.eff.dsl.check.ModelGraph;
import java.util.HashMap;
import dev.eff.stdlib.Parameters;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One model instance as a SameDiff graph: placeholders for its inputs (in {@link ModelGraph#inputs()} order),
 * the labels and the training flag; the output variable; and the loss variable when compiled for training
 * ({@code loss} and {@code lossKey} null otherwise). {@code auxiliaries} names the variable of each auxiliary
 * loss summed over its layers (training graphs only), {@code probes} each layer's probes. {@code variables} is
 * the model instance's variable store, whose arrays this graph holds (shared with every other graph of the instance);
 * {@code inference} tells whether the graph was built for evaluation and prediction.
 */
public record CompiledModel(SameDiff sd, ModelGraph graph, List<String> inputs, String labels, String training,
                            String output, String loss, String lossKey, DataType dtype, Map<String, String> auxiliaries,
                            List<Probe> probes, Parameters variables, boolean inference) {

    public CompiledModel {
        inputs = List.copyOf(inputs);
        auxiliaries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(auxiliaries));
        probes = List.copyOf(probes);
    }

    /** Probe {@code name} of layer {@code layer} (its model path), computed in graph variable {@code variable}. */
    public record Probe(String layer, String name, String variable) {
        /** {@code layer/name}, the probe's key in logs and reports. */
        public String key() { return layer + "/" + name; }
    }

    /** Placeholder values for one batch; {@code labels} may be null when only the output is wanted. */
    public Map<String, INDArray> feed(List<INDArray> batchInputs, INDArray batchLabels, boolean train) {
        Map<String, INDArray> m = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) m.put(inputs.get(i), batchInputs.get(i));
        if (batchLabels != null) m.put(labels, batchLabels);
        m.put(training, Nd4j.scalar(dtype, train ? 1 : 0));
        return m;
    }

    /** The model's output for one batch of inputs, in inference mode. */
    public INDArray predict(List<INDArray> batchInputs) {
        return PlannedExecutor.output(sd, feed(batchInputs, null, false), output).get(output);
    }

    /** The named variables of this graph for one feed of its placeholders. */
    public Map<String, INDArray> run(Map<String, INDArray> feed, List<String> names) {
        return PlannedExecutor.output(sd, feed, names);
    }

    /** Every variable of this graph (all roles), by full name, in creation order. */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        variables.all().forEach((name, v) -> {
            if (sd.hasVariable(name)) out.put(name, v.array());
        });
        return out;
    }
}
