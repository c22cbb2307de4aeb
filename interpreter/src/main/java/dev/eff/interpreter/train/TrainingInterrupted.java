package dev.eff.interpreter.train;

import dev.eff.dsl.source.Span;
import java.nio.file.Path;

/**
 * The user asked the run to stop (Ctrl-C). {@code checkpoint} holds the weights after the last finished step, or
 * is null when the script asks for no checkpoint (or no step had finished).
 */
public final class TrainingInterrupted extends RunFailure {
    private final transient Path checkpoint;

    private TrainingInterrupted(String message, Path checkpoint, Span span) {
        super(span, message, null);
        this.checkpoint = checkpoint;
    }

    /** Stopped between two steps of a train statement. */
    public static TrainingInterrupted afterStep(long step, long total, Path checkpoint, Span span) {
        return new TrainingInterrupted("interrupted after step " + step + " of " + total, checkpoint, span);
    }

    /** Stopped before the statement at {@code span} started. */
    public static TrainingInterrupted beforeStatement(Span span) {
        return new TrainingInterrupted("interrupted before this statement", null, span);
    }

    public Path checkpoint() { return checkpoint; }
}
