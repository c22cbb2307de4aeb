package dev.eff.api;

import java.util.Map;

/**
 * Observes a running script; every method has an empty default, so a listener overrides only what it needs. Methods
 * are called on the thread that called {@link Script#run}.
 */
public interface Listener {
    /** A listener that ignores everything. */
    Listener NONE = new Listener() {};

    /** A statement starts. */
    default void started(JobInfo job) {}

    /**
     * A training step finished: step {@code step} (1-based) of {@code totalSteps}, its loss, each auxiliary loss of the
     * model (summed over its layers, unweighted; empty for models without side outputs), and the seconds since the
     * statement started.
     */
    default void step(JobInfo job, long step, long totalSteps, double loss, Map<String, Double> auxiliaries, double seconds) {}

    /** A statement finished, with what it measured. */
    default void finished(JobResult result) {}

    /** A remark of a program (where it wrote its output, a slower path it took and why). */
    default void note(JobInfo job, String message) {}

    /** Text a program produces as it goes ({@code generate}'s tokens), in pieces as they come. */
    default void text(JobInfo job, String piece) {}
}
