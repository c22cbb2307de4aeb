package dev.eff.interpreter.run;

import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.EvalJob;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.check.Value;
import dev.eff.stdlib.Optimizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The memory one job of a model takes, estimated from the checked graph alone (no ND4J), every value FLOAT32:
 * the parameters; for training also their gradients and the optimizer's state (Adam and AdamW two copies, SGD
 * with momentum one); and the activations of one batch that the forward pass keeps for the backward pass: every
 * node's output and the large intermediates a layer declares (attention's [B, h, T, T] scores). Sums saturate at
 * {@link Long#MAX_VALUE} instead of overflowing, so an absurd model reads as absurdly large. An estimate: ND4J's
 * workspace and the backward pass's temporaries come on top.
 */
public record MemoryEstimate(String job, int batch, long parameters, long gradients, long optimizerState, long activations) {

    static final int BYTES_PER_VALUE = 4;
    /** The batch assumed for a model that no statement trains or evaluates. */
    static final int DEFAULT_BATCH = 32;

    public long total() { return add(add(parameters, gradients), add(optimizerState, activations)); }

    /** Training {@code model} with this optimizer at this batch size. */
    public static MemoryEstimate training(ModelGraph model, int batch, Value.Call optimizer) {
        long params = bytes(model.cost().params());
        int slots = optimizer != null && optimizer.spec() instanceof Optimizer o ? o.stateSlots(optimizer.asArgs()) : 2;
        String name = optimizer == null ? "adam" : optimizer.name();
        return new MemoryEstimate("training with " + name, batch, params, params, times(params, slots), activations(model, batch));
    }

    /** Evaluating {@code model} at this batch size: the parameters and one batch's activations. */
    public static MemoryEstimate inference(ModelGraph model, int batch) {
        return new MemoryEstimate("evaluation", batch, bytes(model.cost().params()), 0, 0, activations(model, batch));
    }

    /** The estimate of one job. */
    public static MemoryEstimate of(Job job) {
        if (job instanceof TrainJob t) return training(t.model(), t.batch(), t.optimizer());
        if (job instanceof EvalJob e) return inference(e.model(), e.batch());
        // A program runs the inference graph at its batch setting (one sequence when generating).
        dev.eff.dsl.check.Args s = ((dev.eff.dsl.check.ProgramJob) job).settings();
        return inference(job.model(), s.has("batch") ? s.i("batch") : 1);
    }

    /**
     * For {@code eff summary}: the largest estimate among the jobs that use this model instance, or its evaluation at
     * the default batch when no job uses it.
     */
    public static MemoryEstimate forSummary(CheckedProgram program, ModelGraph model) {
        MemoryEstimate worst = null;
        for (Job j : program.jobs()) {
            if (!j.model().instance().equals(model.instance())) continue;
            MemoryEstimate e = of(j);
            if (worst == null || e.total() > worst.total()) worst = e;
        }
        return worst != null ? worst : inference(model, DEFAULT_BATCH);
    }

    /**
     * Refuses the first job whose estimate, plus the parameters of the models that earlier jobs left in memory (the
     * runner keeps every instance for later statements), exceeds what {@code machine} offers.
     */
    static void requireFits(CheckedProgram program, MachineMemory machine) throws ModelTooLarge {
        Map<String, Long> kept = new HashMap<>();
        for (Job job : program.jobs()) {
            MemoryEstimate e = of(job);
            String instance = job.model().instance();
            long others = 0;
            for (var k : kept.entrySet()) if (!k.getKey().equals(instance)) others = add(others, k.getValue());
            if (add(e.total(), others) > machine.available()) {
                throw new ModelTooLarge("model " + instance + " does not fit in memory: " + e.describe()
                        + (others > 0 ? ", plus " + size(others) + " of models kept from earlier statements" : "")
                        + ", but " + machine.describe(),
                        "make the model smaller (fewer or narrower layers, a smaller vocabulary) or the batch smaller"
                                + (e.optimizerState() > 0 ? "; sgd keeps less optimizer state than adam (one copy with momentum, none without)" : ""),
                        job.span());
            }
            kept.put(instance, e.parameters());
        }
    }

    /** {@code memory (training with adam, batch 32): 1.20 GB = parameters 300.00 MB + ...}. */
    public String describe() {
        StringBuilder sb = new StringBuilder("memory (" + job + ", batch " + batch + "): about " + size(total())
                + " = parameters " + size(parameters));
        if (gradients > 0) sb.append(" + gradients ").append(size(gradients));
        if (optimizerState > 0) sb.append(" + optimizer state ").append(size(optimizerState));
        return sb.append(" + activations ").append(size(activations)).toString();
    }

    /** {@link #describe()}, with a warning when the estimate exceeds what {@code machine} offers. */
    public String describe(MachineMemory machine) {
        return describe() + (total() > machine.available() ? " (does not fit: " + machine.describe() + ")" : "");
    }

    /** Activations of one batch: the inputs, every node's output and the intermediates it declares. */
    static long activations(ModelGraph model, int batch) {
        long elements = 0;
        for (ModelGraph.Input in : model.inputs()) elements = add(elements, exampleElements(in.shape()));
        for (Node n : model.nodes()) {
            elements = add(elements, exampleElements(n.outputShape()));
            if (n instanceof Node.Apply a) elements = add(elements, intermediates(a));
        }
        return bytes(times(elements, batch));
    }

    private static long intermediates(Node.Apply a) {
        try {
            return a.spec().intermediateElements(a.args(), a.inputShape(), a.outputShape());
        } catch (ShapeException | ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long exampleElements(dev.eff.dsl.check.Shape s) {
        long n = 1;
        try {
            for (long d : s.example()) n = times(n, d);
            return n;
        } catch (ShapeException e) {
            return 0;
        }
    }

    private static long bytes(long values) { return times(values, BYTES_PER_VALUE); }

    /** A non-negative product, saturating; a negative factor (an overflowed count) saturates too. */
    static long times(long a, long b) {
        if (a < 0 || b < 0) return Long.MAX_VALUE;
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static long add(long a, long b) {
        if (a < 0 || b < 0) return Long.MAX_VALUE;
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** Bytes in binary units: {@code 512 B}, {@code 1.50 GB} (GiB, written as users read them). */
    public static String size(long bytes) {
        if (bytes == Long.MAX_VALUE) return "more than 8 EB";
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
