package dev.eff.interpreter.train;

/** Observes a training run (the CLI draws a progress bar or prints periodic lines from it). */
public interface TrainListener {
    TrainListener NONE = new TrainListener() {};

    default void started(long totalSteps, long examples) {}

    /** After step {@code step} (1-based) of {@code totalSteps}, with the time since the run started. */
    default void step(long step, long totalSteps, double loss, long examplesSeen, double seconds) {}

    /** Before {@link #step} of a model with auxiliary losses: each one's value at this step (summed over its layers, unweighted). */
    default void auxiliaries(long step, java.util.Map<String, Double> values) {}

    /** Asked after each {@link #step}: true ends the statement there, as if that step had been its last. */
    default boolean stopEarly() { return false; }

    default void checkpointed(long step, java.nio.file.Path path) {}

    default void finished() {}

    /** SameDiff listeners to attach to the model's gradient graph for this run (a profiler's op timer). */
    default java.util.List<org.nd4j.autodiff.listeners.Listener> graphListeners() { return java.util.List.of(); }
}
