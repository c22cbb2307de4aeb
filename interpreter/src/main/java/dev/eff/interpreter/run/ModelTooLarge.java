package dev.eff.interpreter.run;

import dev.eff.dsl.source.Span;

/** A job whose static memory estimate exceeds what the machine offers; raised before anything is allocated. */
public final class ModelTooLarge extends Exception {
    private final transient Span span;
    private final String hint;

    ModelTooLarge(String message, String hint, Span span) {
        super(message, null, false, false);
        this.hint = hint;
        this.span = span;
    }

    /** The statement of the job that does not fit. */
    public Span span() { return span; }

    public String hint() { return hint; }
}
