package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;
import java.util.List;

/** A checked {@code evaluate MODEL on DATA.split { metrics }}. */
public record EvalJob(Span span, ModelGraph model, DataBinding data, String split, List<Value.Call> metrics,
                      int batch) implements Job {
    public EvalJob {
        metrics = List.copyOf(metrics);
    }
}
