package dev.eff.interpreter.train;

import dev.eff.dsl.check.LayerPattern;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.VariableRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Which variables a training run updates: those of the graph whose role is {@link VariableRole#TRAINABLE}, minus
 * those made by a layer the train statement freezes. Frozen weights and state are left alone: no optimizer state,
 * no weight decay, and no gradient is asked for them, so SameDiff runs no backward op that only they would need.
 */
public final class ParameterRoles {
    private ParameterRoles() {}

    public static Map<String, INDArray> updated(CompiledModel model, List<LayerPattern> freeze) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Parameters.Variable v : model.variables().all().values()) {
            if (v.role() != VariableRole.TRAINABLE || !model.sd().hasVariable(v.name())) continue;
            if (freeze.stream().anyMatch(p -> p.matches(v.layer()))) continue;
            out.put(v.name(), v.array());
        }
        return out;
    }
}
