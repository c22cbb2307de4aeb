package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;
import java.util.List;

/**
 * A checked {@code train MODEL on DATA { ... }}. {@code loss} is a {@link Value.Call} of a loss or a
 * {@link Value.Formula} over loss calls and {@link Value.Aux} terms; {@code optimizer} an optimizer call with every
 * argument bound. Exactly one of {@code steps} and {@code epochs} is positive. {@code freeze} names the layers whose
 * parameters this statement does not update ({@link LayerPattern}s, each matching at least one layer).
 */
public record TrainJob(Span span, ModelGraph model, DataBinding data, String split, Value.Call optimizer,
                       int batch, long steps, int epochs, Value loss, long seed, String checkpoint, List<LayerPattern> freeze)
        implements Job {

    public TrainJob {
        freeze = List.copyOf(freeze);
    }

    /** A statement that freezes nothing. */
    public TrainJob(Span span, ModelGraph model, DataBinding data, String split, Value.Call optimizer, int batch, long steps,
                    int epochs, Value loss, long seed, String checkpoint) {
        this(span, model, data, split, optimizer, batch, steps, epochs, loss, seed, checkpoint, List.of());
    }
}
