package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;

/**
 * A checked program statement: {@code program} is bound to its component, its settings being the call's arguments
 * (defaults filled in). {@code data} and {@code split} are those the statement names, or else the data the model
 * instance was last used with (and that statement's split).
 */
public record ProgramJob(Span span, Value.Call program, ModelGraph model, DataBinding data, String split) implements Job {

    public Args settings() { return program.asArgs(); }
}
