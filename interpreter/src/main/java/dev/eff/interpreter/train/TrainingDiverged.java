package dev.eff.interpreter.train;

import dev.eff.dsl.source.Span;

/** The loss became NaN or infinite; training stopped before applying that step's update. */
public final class TrainingDiverged extends Exception {
    private final long step;
    private final double loss;
    private final transient Span span;

    public TrainingDiverged(long step, double loss, Span span) {
        super("training diverged: the loss is " + loss + " at step " + step, null, false, false);
        this.step = step;
        this.loss = loss;
        this.span = span;
    }

    public long step() { return step; }

    public double loss() { return loss; }

    public Span span() { return span; }

    public String hint() {
        return "lower the learning rate, add warmup, or clip gradients (e.g. clip = 1.0 in the optimizer call)";
    }
}
