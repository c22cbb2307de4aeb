package dev.eff.stdlib;

import dev.eff.dsl.source.Span;

/**
 * A data source that cannot be read: the message names the path, the hint what to do about it. The runtime
 * attaches the {@code data} statement's span ({@link #at}), so the error is reported at the script line that
 * declared the source.
 */
public final class DataException extends Exception {
    private final String hint;
    private final Span span;

    public DataException(String message, String hint) {
        this(message, hint, null);
    }

    private DataException(String message, String hint, Span span) {
        super(message);
        this.hint = hint;
        this.span = span;
    }

    public String hint() { return hint; }

    /** The {@code data} statement this error belongs to, or null when not known. */
    public Span span() { return span; }

    /** This error located at {@code where} (a span already attached wins: it is the more precise). */
    public DataException at(Span where) {
        if (span != null || where == null) return this;
        DataException e = new DataException(getMessage(), hint, where);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
