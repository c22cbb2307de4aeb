package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;

/**
 * A checked {@code train MODEL on DATA { ... }}. {@code loss} is a {@link Value.Call} of a loss or a
 * {@link Value.Formula} over loss calls; {@code optimizer} an optimizer call with every argument bound.
 * Exactly one of {@code steps} and {@code epochs} is positive.
 */
public record TrainJob(Span span, ModelGraph model, DataBinding data, String split, Value.Call optimizer,
                       int batch, long steps, int epochs, Value loss, long seed, String checkpoint)
        implements Job {}
