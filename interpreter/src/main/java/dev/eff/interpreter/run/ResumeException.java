package dev.eff.interpreter.run;

import dev.eff.dsl.source.Span;
import dev.eff.interpreter.train.RunFailure;

/** A checkpoint cannot be resumed by this train statement (another script, statement or model); reported at {@code span}. */
public final class ResumeException extends RunFailure {
    public ResumeException(Span span, String message, String hint) {
        super(span, message, hint);
    }
}
