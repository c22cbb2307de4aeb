package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;

/**
 * A checked {@code train MODEL on DATA { ... }}. {@code loss} is a {@link Value.Call} of a loss or a
 * {@link Value.Formula} over loss calls; {@code optimizer} an optimizer call with every argument bound.
 * Exactly one of {@code steps} and {@code epochs} is positive.
 */
public record TrainJob(Span span, ModelGraph model, DataBinding data, String split, Value.Call optimizer,
                       int batch, long steps, int epochs, Value loss, long seed, String checkpoint)
        implements Job {
    /**
     * The most optimizer steps one train statement may take, and the most epochs it may ask for. A billion steps
     * is years of training at the speeds Eff reaches; the bounds keep step counters in an int and turn a typo
     * ({@code steps = 3000000000}) into a diagnostic instead of an overflow.
     */
    public static final long MAX_STEPS = 1_000_000_000L, MAX_EPOCHS = 1_000_000L;
}
