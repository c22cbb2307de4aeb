package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;
import java.util.Map;

/**
 * A checked program statement: {@code program} is bound to its component, its settings being the call's arguments
 * (defaults filled in). {@code data} and {@code split} are those the statement names, or else the data the model
 * instance was last used with (and that statement's split). {@code models} holds, by setting name, the trained
 * instances that settings of type {@link Type.Model} name (a cascade's {@code large}), bound to the same data.
 */
public record ProgramJob(Span span, Value.Call program, ModelGraph model, DataBinding data, String split,
                         Map<String, ModelGraph> models) implements Job {

    public ProgramJob {
        models = Map.copyOf(models);
    }

    /** A statement that names no other model. */
    public ProgramJob(Span span, Value.Call program, ModelGraph model, DataBinding data, String split) {
        this(span, program, model, data, split, Map.of());
    }

    public Args settings() { return program.asArgs(); }
}
