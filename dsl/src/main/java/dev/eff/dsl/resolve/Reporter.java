package dev.eff.dsl.resolve;

import dev.eff.dsl.diag.Diagnostic;
import dev.eff.dsl.diag.Diagnostics;
import dev.eff.dsl.source.Span;
import java.util.HashSet;
import java.util.Set;

/**
 * Adds diagnostics, each at most once: an error inside a {@code repeat} body or in a model checked for
 * several jobs is found again on every pass, but the user should read it once.
 */
public final class Reporter {
    private final Diagnostics diagnostics;
    private final Set<String> seen = new HashSet<>();
    private int errors;

    public Reporter(Diagnostics diagnostics) { this.diagnostics = diagnostics; }

    public void error(Span span, String message, String hint) {
        add(Diagnostic.error(span, message, hint));
    }

    public void warning(Span span, String message, String hint) {
        add(Diagnostic.warning(span, message).withHint(hint));
    }

    public void add(Diagnostic d) {
        String key = d.span().source().name() + ":" + d.span().start() + ":" + d.span().end() + ":" + d.message();
        if (!seen.add(key)) return;
        if (d.severity() == dev.eff.dsl.diag.Severity.ERROR) errors++;
        diagnostics.add(d);
    }

    /** Errors reported so far, to tell whether a step added any. */
    public int errorCount() { return errors; }

    public Diagnostics diagnostics() { return diagnostics; }
}
