package dev.eff.interpreter.train;

import dev.eff.dsl.source.Span;

/**
 * Stops a run whose loss explodes while staying finite (e.g. lr = 1e10: losses of 1e9 for hundreds of steps).
 * The rule: the loss is above {@code max(100 × first, first + 50)} for {@value #SUSTAINED} steps in a row,
 * where {@code first} is the loss at step 1 (the untrained model's loss, a stable reference for every loss).
 * Why this rule: a factor of 100 over an untrained model is never progress, whatever the loss's scale (it is
 * relative, so it holds for a regression loss of 1e4 as for a cross-entropy of 2.3); the additive 50 keeps
 * tiny starting losses (0.01) from tripping on harmless noise; and a single bad batch can spike and recover,
 * so only a sustained excursion stops the run.
 */
final class LossWatch {
    static final int SUSTAINED = 5;
    private final Span span;
    private double first = Double.NaN;
    private int above;

    LossWatch(Span span) { this.span = span; }

    /** Records the (finite) loss of a 1-based step; throws when the rule above trips. */
    void observe(long step, double loss) throws TrainingDiverged {
        if (Double.isNaN(first)) first = loss;
        double limit = Math.max(100 * Math.abs(first), first + 50);
        above = loss > limit ? above + 1 : 0;
        if (above >= SUSTAINED) throw TrainingDiverged.exploded(step, loss, first, above, span);
    }
}
