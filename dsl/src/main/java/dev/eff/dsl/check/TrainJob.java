package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;
import java.util.List;

/**
 * A checked {@code train MODEL on DATA { ... }}. {@code loss} is a {@link Value.Call} of a loss or a
 * {@link Value.Formula} over loss calls and {@link Value.Aux} terms; {@code optimizer} an optimizer call with every
 * argument bound. Exactly one of {@code steps} and {@code epochs} is positive. {@code freeze} names the layers whose
 * parameters this statement does not update ({@link LayerPattern}s, each matching at least one layer); {@code callbacks}
 * the callback hooks run after each of its steps.
 */
public record TrainJob(Span span, ModelGraph model, DataBinding data, String split, Value.Call optimizer,
                       int batch, long steps, int epochs, Value loss, long seed, String checkpoint, List<LayerPattern> freeze,
                       List<Value.Call> callbacks)
        implements Job {

    public TrainJob {
        freeze = List.copyOf(freeze);
        callbacks = List.copyOf(callbacks);
    }

    /** A statement without callbacks. */
    public TrainJob(Span span, ModelGraph model, DataBinding data, String split, Value.Call optimizer, int batch, long steps,
                    int epochs, Value loss, long seed, String checkpoint, List<LayerPattern> freeze) {
        this(span, model, data, split, optimizer, batch, steps, epochs, loss, seed, checkpoint, freeze, List.of());
    }

    /** A statement that freezes nothing. */
    public TrainJob(Span span, ModelGraph model, DataBinding data, String split, Value.Call optimizer, int batch, long steps,
                    int epochs, Value loss, long seed, String checkpoint) {
        this(span, model, data, split, optimizer, batch, steps, epochs, loss, seed, checkpoint, List.of());
    }

    /**
     * The most optimizer steps one train statement may take, and the most epochs it may ask for. A billion steps
     * is years of training at the speeds Eff reaches; the bounds keep step counters in an int and turn a typo
     * ({@code steps = 3000000000}) into a diagnostic instead of an overflow.
     */
    public static final long MAX_STEPS = 1_000_000_000L, MAX_EPOCHS = 1_000_000L;
}
