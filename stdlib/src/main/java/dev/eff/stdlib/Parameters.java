package dev.eff.stdlib;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The variables of one model instance: each has a full name {@code namespace/layer/name}, the layer (model path)
 * that created it, a {@link VariableRole} and its array. Every graph built for the instance (training with one loss
 * or another, inference) takes its variables from here, so all of them hold the very same arrays: an optimizer step
 * on one graph is seen by the others without a copy. Two instances never share a store, and their names differ by
 * namespace, so two models with the same layer paths never share a weight, even lowered into one graph.
 */
public final class Parameters {

    /** One variable: its full name, the model path of the layer that made it, its role and its array. */
    public record Variable(String name, String layer, VariableRole role, INDArray array) {}

    private final String namespace;
    private final Map<String, Variable> variables = new LinkedHashMap<>();
    private final Map<String, Lowering.StepHook> hooks = new LinkedHashMap<>();

    /** A store whose variable names start with {@code namespace/} (none when empty, as in single-layer tests). */
    public Parameters(String namespace) {
        this.namespace = namespace;
    }

    public String namespace() { return namespace; }

    /** {@code namespace/layer/name}, or {@code layer/name} without a namespace. */
    public String fullName(String layer, String name) {
        String local = layer.isEmpty() ? name : layer + "/" + name;
        return namespace.isEmpty() ? local : namespace + "/" + local;
    }

    /**
     * The variable {@code fullName}, created from {@code initial} the first time it is asked for. A second request must
     * agree on shape and role: a mismatch means two components claim one name.
     */
    public synchronized Variable getOrCreate(String fullName, String layer, long[] shape, VariableRole role,
                                             Supplier<INDArray> initial) {
        Variable v = variables.get(fullName);
        if (v == null) {
            INDArray arr = initial.get();
            if (!Arrays.equals(arr.shape(), shape)) {
                throw new IllegalStateException("initial value of " + fullName + " has shape " + Arrays.toString(arr.shape())
                        + ", declared " + Arrays.toString(shape));
            }
            v = new Variable(fullName, layer, role, arr);
            variables.put(fullName, v);
            return v;
        }
        if (!Arrays.equals(v.array().shape(), shape)) {
            throw new IllegalStateException("parameter " + fullName + " already exists with shape " + Arrays.toString(v.array().shape())
                    + ", requested " + Arrays.toString(shape));
        }
        if (v.role() != role) {
            throw new IllegalStateException("parameter " + fullName + " already exists as " + v.role() + ", requested as " + role);
        }
        return v;
    }

    /** The variable of this name, or null. */
    public synchronized Variable get(String fullName) { return variables.get(fullName); }

    /** Every variable, in creation order. */
    public synchronized Map<String, Variable> all() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /** The arrays of the variables with this role, by full name, in creation order. */
    public synchronized Map<String, INDArray> arrays(VariableRole role) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        variables.values().forEach(v -> {
            if (v.role() == role) out.put(v.name(), v.array());
        });
        return out;
    }

    /** Registers the step hook {@code name} of this instance; a second registration of the name is ignored. */
    public synchronized void afterEachStep(String name, Lowering.StepHook hook) { hooks.putIfAbsent(name, hook); }

    /** Runs every step hook, in registration order: the optimizer has taken {@code step} steps. */
    public void afterStep(long step) {
        List<Lowering.StepHook> all;
        synchronized (this) {
            all = List.copyOf(hooks.values());
        }
        for (Lowering.StepHook h : all) h.afterStep(step);
    }
}
