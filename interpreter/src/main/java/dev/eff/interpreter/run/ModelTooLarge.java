package dev.eff.interpreter.run;

import dev.eff.dsl.source.Span;
import dev.eff.interpreter.train.RunFailure;

/** A job whose static memory estimate exceeds what the machine offers; raised before anything is allocated. */
public final class ModelTooLarge extends RunFailure {
    ModelTooLarge(String message, String hint, Span span) {
        super(span, message, hint);
    }
}
