package dev.eff.interpreter.run;

import dev.eff.dsl.source.Span;

/** A job whose static memory estimate exceeds what the machine offers; raised before anything is allocated. */
public final class ModelTooLarge extends Exception {
    private final transient Span span;
    private final String hint;

    ModelTooLarge(String message, String hint, Span span) {
        super(message, null, false, false);
        this.hint = hint;
        this.span = span;
    }

    /** The statement of the job that does not fit. */
    public Span span() { return span; }

    public String hint() { return hint; }

    /** Refuses the first job of {@code program} whose estimate exceeds the machine's memory. */
    static void require(dev.eff.dsl.check.CheckedProgram program, MachineMemory machine) throws ModelTooLarge {
        for (dev.eff.dsl.check.Job job : program.jobs()) {
            MemoryEstimate e = MemoryEstimate.of(job);
            if (e.total() > machine.available()) {
                throw new ModelTooLarge("model " + job.model().instance() + " does not fit in memory: " + e.describe()
                        + ", but " + machine.describe(),
                        "make the model smaller (fewer or narrower layers, a smaller vocabulary) or the batch smaller"
                                + (e.optimizerState() > 0 ? "; sgd keeps less optimizer state than adam (one copy with momentum, none without)" : ""),
                        job.span());
            }
        }
    }
}
