package dev.eff.interpreter.compile;

import dev.eff.dsl.source.Span;

/** A checked program that cannot be lowered to a graph; reported at {@code span} like a script error. */
public final class CompileException extends RuntimeException {
    private final transient Span span;
    private final String hint;

    public CompileException(Span span, String message, String hint) {
        super(message);
        this.span = span;
        this.hint = hint;
    }

    public Span span() { return span; }

    public String hint() { return hint; }
}
