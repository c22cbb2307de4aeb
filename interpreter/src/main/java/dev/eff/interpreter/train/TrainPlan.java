package dev.eff.interpreter.train;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.source.Span;
import dev.eff.stdlib.Optimizer;
import dev.eff.dsl.check.LayerPattern;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a training run needs beyond the model and the data. Exactly one of {@code steps} and
 * {@code epochs} is positive. {@code checkpoint} is null for none; it is written every {@code checkpointEvery}
 * steps (0: only at the end) and at the end. {@code span} locates the train statement for diagnostics.
 * {@code freeze} names layers whose parameters this run leaves as they are.
 */
public record TrainPlan(int batch, long steps, int epochs, long seed, Optimizer optimizer, Args optimizerArgs,
                        Path checkpoint, long checkpointEvery, Span span, List<LayerPattern> freeze) {

    public TrainPlan {
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1");
        if ((steps > 0) == (epochs > 0)) throw new IllegalArgumentException("exactly one of steps and epochs must be set");
        freeze = List.copyOf(freeze);
    }

    /** A plan that freezes nothing. */
    public TrainPlan(int batch, long steps, int epochs, long seed, Optimizer optimizer, Args optimizerArgs,
                     Path checkpoint, long checkpointEvery, Span span) {
        this(batch, steps, epochs, seed, optimizer, optimizerArgs, checkpoint, checkpointEvery, span, List.of());
    }

    /** Optimizer steps in the whole run: {@code steps}, or {@code epochs · ⌈examples / batch⌉}. */
    public long totalSteps(long examples) {
        return steps > 0 ? steps : epochs * ((examples + batch - 1) / batch);
    }
}
