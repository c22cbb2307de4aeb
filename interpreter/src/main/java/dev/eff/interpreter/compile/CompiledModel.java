package dev.eff.interpreter.compile;

import dev.eff.dsl.check.ModelGraph;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One model instance as a SameDiff graph: placeholders for its inputs (in {@link ModelGraph#inputs()} order),
 * the labels and the training flag; the output variable; and the loss variable when compiled for training
 * ({@code loss} and {@code lossKey} null otherwise). {@code auxiliaries} names the variable of each auxiliary
 * loss summed over its layers (training graphs only), {@code probes} each layer's probes.
 */
public record CompiledModel(SameDiff sd, ModelGraph graph, List<String> inputs, String labels, String training,
                            String output, String loss, String lossKey, DataType dtype, Map<String, String> auxiliaries,
                            List<Probe> probes) {

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

    /** The trainable parameters by name. */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        for (var v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) out.put(v.name(), v.getArr());
        }
        return out;
    }

    /** Copies every parameter this model shares by name with {@code from} (a previous graph of the same instance). */
    public void copyParameters(CompiledModel from) {
        Map<String, INDArray> src = from.parameters();
        parameters().forEach((name, arr) -> {
            INDArray s = src.get(name);
            if (s != null) arr.assign(s);
        });
    }
}
