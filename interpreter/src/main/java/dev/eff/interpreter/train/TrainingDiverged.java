package dev.eff.interpreter.train;

import dev.eff.dsl.source.Span;

/**
 * The loss became NaN or infinite (training stopped before applying that step's update), or it exploded far
 * above where it started (see {@link LossWatch}).
 */
public final class TrainingDiverged extends RunFailure {
    static final String HINT = "lower the learning rate, add warmup, or clip gradients (e.g. clip = 1.0 in the optimizer call)";

    private final long step;
    private final double loss;

    public TrainingDiverged(long step, double loss, Span span) {
        this(step, loss, "training diverged: the loss is " + loss + " at step " + step, span);
    }

    private TrainingDiverged(long step, double loss, String message, Span span) {
        super(span, message, HINT);
        this.step = step;
        this.loss = loss;
    }

    /** The loss stayed far above its value at the first step. */
    static TrainingDiverged exploded(long step, double loss, double initial, long sustained, Span span) {
        return new TrainingDiverged(step, loss, String.format(java.util.Locale.ROOT,
                "training diverged: the loss is %.4g at step %d, up from %.4g at step 1 (far above it for %d steps)",
                loss, step, initial, sustained), span);
    }

    public long step() { return step; }

    public double loss() { return loss; }
}
