package dev.eff.interpreter.train;

import dev.eff.dsl.source.Span;

/**
 * A run stopped for a reason the user can act on, located at a statement of the script when there is one
 * ({@code span} may be null). The CLI renders it as a diagnostic and exits with 1.
 */
public class RunFailure extends Exception {
    private final transient Span span;
    private final String hint;

    public RunFailure(Span span, String message, String hint) {
        super(message, null, false, false);
        this.span = span;
        this.hint = hint;
    }

    public Span span() { return span; }

    public String hint() { return hint; }
}
