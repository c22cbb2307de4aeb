package dev.eff.stdlib;

import dev.eff.dsl.check.Shape;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@link Lowering} the runtime hands to each node of a model. Variables live in the model instance's
 * {@link Parameters} (named {@code namespace/scope/name}) and are drawn from a generator seeded by (model seed,
 * {@code scope/name}), so a model's initial weights depend only on its seed and structure, never on the order in
 * which components create them nor on the namespace: two instances of one model with one seed start equal but
 * never share. Every graph built over the same {@link Parameters} holds the same arrays.
 */
public final class ScopedLowering implements Lowering {

    private final GraphContext graph;
    private final String scope;
    private final Shape inputShape;
    private final Shape outputShape;
    private final Set<String> issuedNames = new HashSet<>();
    private final Map<String, SDVariable> auxiliaries = new LinkedHashMap<>();
    private final Map<String, SDVariable> probes = new LinkedHashMap<>();

    /** A lowering on its own (layer tests): a private variable store without namespace, a training graph. */
    public ScopedLowering(SameDiff sd, String scope, Shape inputShape, Shape outputShape, long seed, DataType dtype,
                          SDVariable training) {
        this(sd, scope, inputShape, outputShape, seed, dtype, training, false);
    }

    public ScopedLowering(SameDiff sd, String scope, Shape inputShape, Shape outputShape, long seed, DataType dtype,
                          SDVariable training, boolean inference) {
        this(new GraphContext(sd, new Parameters(""), seed, dtype, training, inference), scope, inputShape, outputShape);
    }

    public ScopedLowering(GraphContext graph, String scope, Shape inputShape, Shape outputShape) {
        this.graph = graph;
        this.scope = scope;
        this.inputShape = inputShape;
        this.outputShape = outputShape;
    }

    @Override public SameDiff sd() { return graph.sd(); }

    @Override public String scope() { return scope; }

    @Override public Shape inputShape() { return inputShape; }

    @Override public Shape outputShape() { return outputShape; }

    @Override public DataType dtype() { return graph.dtype(); }

    @Override public SDVariable training() { return graph.training(); }

    @Override public boolean inference() { return graph.inference(); }

    @Override public long randomSeed(String name) { return InitialValues.streamSeed(graph.seed(), scope + "/" + name + "#random"); }

    @Override
    public void afterEachStep(String name, StepHook hook) { graph.parameters().afterEachStep(graph.parameters().fullName(scope, name), hook); }

    @Override public void aux(String name, SDVariable scalar) { auxiliaries.put(name, scalar); }

    @Override public void probe(String name, SDVariable value) { probes.put(name, value); }

    /** The auxiliary losses this component emitted, by name. */
    public Map<String, SDVariable> auxiliaries() { return Map.copyOf(auxiliaries); }

    /** The probes this component emitted, by name. */
    public Map<String, SDVariable> probes() { return Map.copyOf(probes); }

    @Override
    public SDVariable param(String name, long[] shape, Init init, VariableRole role) {
        return variable(name, shape, role, () -> initialValue(graph.seed(), scope + "/" + name, shape, init, graph.dtype()));
    }

    @Override
    public SDVariable state(String name, INDArray initial) {
        return variable(name, initial.shape(), VariableRole.STATE, () -> initial.castTo(graph.dtype()).dup());
    }

    private SDVariable variable(String name, long[] shape, VariableRole role, java.util.function.Supplier<INDArray> initial) {
        SameDiff sd = graph.sd();
        String full = graph.parameters().fullName(scope, name);
        if (sd.hasVariable(full)) {
            SDVariable existing = sd.getVariable(full);
            long[] have = existing.getShape();
            if (!Arrays.equals(have, shape)) {
                throw new IllegalStateException("parameter " + full + " already exists with shape " + Arrays.toString(have)
                        + ", requested " + Arrays.toString(shape));
            }
            return existing;
        }
        Parameters.Variable v = graph.parameters().getOrCreate(full, scope, shape, role, initial);
        if (v.array().dataType() != graph.dtype()) {
            throw new IllegalStateException("parameter " + full + " is " + v.array().dataType() + ", the graph is " + graph.dtype());
        }
        SDVariable created = sd.var(full, v.array());
        // SameDiff copies a view it is given; every graph of the model must hold the store's own array.
        if (created.getArr() != v.array()) throw new IllegalStateException("the graph copied parameter " + full + " instead of sharing it");
        return created;
    }

    @Override
    public String name(String hint) {
        String base = scope + "/" + hint;
        String candidate = base;
        for (int i = 2; graph.sd().hasVariable(candidate) || issuedNames.contains(candidate); i++) candidate = base + "_" + i;
        issuedNames.add(candidate);
        return candidate;
    }

    /** The initial value of parameter {@code fullName}: a pure function of the seed, the name, the shape and the init. */
    public static INDArray initialValue(long seed, String fullName, long[] shape, Init init, DataType dtype) {
        return InitialValues.of(seed, fullName, shape, init, dtype);
    }
}
