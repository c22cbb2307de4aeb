package dev.eff.interpreter.train;

import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.PlannedExecutor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The loss and the parameter gradients of one batch, from the model's gradient function run by
 * {@link PlannedExecutor}, which recycles a step's intermediates in the next.
 *
 * <p>SameDiff's own {@code calculateGradientsAndOutputs} switches its array cache off, so each step would allocate
 * every activation and gradient anew and only the garbage collector would free them: on the char transformer each
 * step faulted hundreds of megabytes of fresh pages and steps varied between 1 and 6 s. The cache stays on for the
 * graphs the executor leaves to SameDiff's session (with the compiler's {@code RecyclingSession}).
 */
final class Backprop {

    private final SameDiff gradients;
    private final String loss;
    private final Map<String, String> gradientOf = new LinkedHashMap<>();
    private final String[] outputs;
    private final Map<String, String> auxiliaries;
    private final List<CompiledModel.Probe> probes;
    private final org.nd4j.autodiff.listeners.Listener[] listeners;

    /**
     * For the model's loss and the given trainable parameters (those the loss does not depend on get none). The
     * same run also fetches the model's auxiliary losses and probes: they are forward values of the same graph.
     */
    Backprop(CompiledModel model, Collection<String> params) { this(model, params, List.of()); }

    /** As above, with SameDiff listeners that see every op of every run (a profiler's timer). */
    Backprop(CompiledModel model, Collection<String> params, List<org.nd4j.autodiff.listeners.Listener> listeners) {
        SameDiff sd = model.sd();
        if (!sd.hasGradientFunction()) throw new IllegalStateException("the model's gradient function was not built");
        gradients = sd.getFunction("grad");
        gradients.setEnableCache(true);
        loss = model.loss();
        auxiliaries = model.auxiliaries();
        probes = model.probes();
        List<String> out = new ArrayList<>(List.of(loss));
        out.addAll(auxiliaries.values());
        for (CompiledModel.Probe p : probes) out.add(p.variable());
        for (String p : params) {
            SDVariable g = sd.getVariable(p).getGradient();
            if (g != null) {
                gradientOf.put(p, g.name());
                out.add(g.name());
            }
        }
        outputs = out.toArray(String[]::new);
        this.listeners = listeners.toArray(org.nd4j.autodiff.listeners.Listener[]::new);
    }

    /** The batch's loss, parameter gradients, auxiliary losses (by name) and probe values (by probe). */
    record Result(double loss, Map<String, INDArray> gradients, Map<String, Double> auxiliaries,
                  Map<CompiledModel.Probe, INDArray> probes) {}

    Result run(Map<String, INDArray> feed) {
        Map<String, INDArray> out = PlannedExecutor.output(gradients, feed, List.of(outputs), List.of(listeners));
        Map<String, INDArray> grads = new LinkedHashMap<>();
        gradientOf.forEach((param, grad) -> grads.put(param, out.get(grad)));
        Map<String, Double> aux = new LinkedHashMap<>();
        auxiliaries.forEach((name, variable) -> aux.put(name, out.get(variable).getDouble(0)));
        Map<CompiledModel.Probe, INDArray> probeValues = new LinkedHashMap<>();
        for (CompiledModel.Probe p : probes) probeValues.put(p, out.get(p.variable()));
        return new Result(out.get(loss).getDouble(0), grads, aux, probeValues);
    }
}
