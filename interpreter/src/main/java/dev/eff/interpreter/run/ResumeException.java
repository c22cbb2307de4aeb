package dev.eff.interpreter.run;

import dev.eff.dsl.source.Span;

/** A checkpoint cannot be resumed by this train statement (another script, statement or model); reported at {@code span}. */
public final class ResumeException extends Exception {
    private final transient Span span;
    private final String hint;

    public ResumeException(Span span, String message, String hint) {
        super(message, null, false, false);
        this.span = span;
        this.hint = hint;
    }

    public Span span() { return span; }

    public String hint() { return hint; }
}
