package dev.eff.api;

/**
 * A problem Eff found in a script, as data: where it is ({@code file}, 1-based {@code line} and {@code column}, and
 * the {@code length} of the span it marks), what it is, an optional {@code hint} (null when there is none), and the
 * whole diagnostic {@code rendered} as the command line shows it, source line and caret included.
 */
public record Diagnostic(boolean error, String file, int line, int column, int length, String message, String hint,
                         String rendered) {

    static Diagnostic of(dev.eff.dsl.diag.Diagnostic d) {
        return new Diagnostic(d.severity() == dev.eff.dsl.diag.Severity.ERROR, d.span().source().name(), d.span().line(),
                d.span().column(), d.span().end() - d.span().start(), d.message(), d.hint(), d.render());
    }

    /** {@code file:line:col: error: message}. */
    public String headline() { return file + ":" + line + ":" + column + ": " + (error ? "error" : "warning") + ": " + message; }

    @Override public String toString() { return rendered; }
}
