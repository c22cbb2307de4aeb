package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;

/** A statement that does work at run time, in script order. */
public sealed interface Job permits TrainJob, EvalJob, ProgramJob {
    Span span();

    ModelGraph model();

    DataBinding data();
}
