package dev.eff.api;

import dev.eff.dsl.source.Span;

/**
 * A run that stopped for a reason the user can act on: missing or malformed data, a model too large for the machine, a
 * loss that diverged, a file that cannot be written. {@code line} and {@code column} locate the statement it belongs
 * to (0 when it belongs to none); {@link #rendered()} is the diagnostic as the command line prints it. Errors in the
 * script itself are never thrown: they are {@link Script#diagnostics()}.
 */
public final class EffException extends Exception {
    private final String file, hint, rendered;
    private final int line, column;

    EffException(Span span, String message, String hint) {
        super(message, null, false, false);
        this.file = span == null ? null : span.source().name();
        this.line = span == null ? 0 : span.line();
        this.column = span == null ? 0 : span.column();
        this.hint = hint;
        this.rendered = span != null ? dev.eff.dsl.diag.Diagnostic.error(span, message, hint).render()
                : "error: " + message + (hint == null ? "" : "\n  hint: " + hint) + "\n";
    }

    /** The script file the failure belongs to, or null. */
    public String file() { return file; }

    /** 1-based line of the statement, or 0. */
    public int line() { return line; }

    /** 1-based column of the statement, or 0. */
    public int column() { return column; }

    /** What to do about it, or null. */
    public String hint() { return hint; }

    /** The failure as {@code eff run} prints it. */
    public String rendered() { return rendered; }
}
